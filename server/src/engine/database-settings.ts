// Server-side database settings, as the inputs that read them hand them to the chain walk and the rules: a postgresql.conf, `ALTER ROLE … SET` in a migration, a server's command line.
//
// Shared by the inputs that read these texts (the postgres input: postgresql.conf, SQL files,
// compose and Helm values; the TypeScript input: SQL strings in migrations) and by the code that
// decides which client a setting applies to (inputs/ts/db/server-settings.ts). Pure text: no input.
import type { Span } from './types.js';

/**
 * Where a Postgres setting is written, lowest precedence first (PostgreSQL docs, "Setting
 * Parameters" and ALTER ROLE): the configuration file, `ALTER SYSTEM` (postgresql.auto.conf), the
 * server's command line (`-c`), `ALTER ROLE ALL`, `ALTER DATABASE`, `ALTER ROLE`, `ALTER ROLE … IN
 * DATABASE`. A client's own startup parameter (pg `statement_timeout`) beats them all.
 */
export type DatabaseSettingLevel = 'conf' | 'system' | 'command-line' | 'all-roles' | 'database' | 'role' | 'role-database';

export const LEVEL_ORDER: Readonly<Record<DatabaseSettingLevel, number>> = { conf: 0, system: 1, 'command-line': 2, 'all-roles': 3, database: 4, role: 5, 'role-database': 6 };

/** A database server the workspace runs (a compose service on a Postgres image, a Helm chart's bundled Postgres). */
export interface DatabaseServer {
  engine: 'postgres';
  /** Host names that reach it: the compose service's name and aliases, the bundled chart's Service names. */
  names: string[];
  /** Who declares it, for evidence: `compose service db`. */
  owner: string;
  span: Span;
}

/** One server-side timeout setting. */
export interface DatabaseSetting {
  engine: 'postgres';
  /** `statement_timeout`, `idle_in_transaction_session_timeout`, `lock_timeout`. */
  name: string;
  /** The value as written (quotes removed). */
  text: string;
  /** Milliseconds; undefined when the value does not parse (then it is unknown, never a default). */
  ms?: number;
  /** The value. */
  span: Span;
  level: DatabaseSettingLevel;
  /** For role levels: the role (`ALTER ROLE app`), folded as Postgres folds unquoted names. */
  role?: string;
  /** For database levels: the database. */
  database?: string;
  /** Where it is written, in words: `ALTER ROLE app SET statement_timeout`, `postgresql.conf`. */
  origin: string;
  /** The server it configures when the file says so (a compose service's command, Helm values); undefined for files that configure "the" database. */
  server?: DatabaseServer;
}

/** What one input read: the servers it saw and the settings. */
export interface DatabaseSettings {
  servers: DatabaseServer[];
  settings: DatabaseSetting[];
}

export const EMPTY_DATABASE_SETTINGS: DatabaseSettings = { servers: [], settings: [] };

/** The Postgres settings that bound how long work runs or waits (timeout-facts §17). */
export const POSTGRES_TIMEOUT_SETTINGS: ReadonlySet<string> = new Set(['statement_timeout', 'idle_in_transaction_session_timeout', 'lock_timeout']);

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A Postgres time setting whose base unit is milliseconds, in milliseconds: a bare number is
 * milliseconds; units `us ms s min h d` (case-sensitive, whitespace allowed before the unit), as
 * PostgreSQL's parse_int with GUC_UNIT_MS reads them. Undefined when it does not parse.
 */
export function postgresDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(text.replace(/^'|'$/g, ''));
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
}

/** A setting as parsed from text, before the reader says which file and server it belongs to. */
export type ParsedSetting = Omit<DatabaseSetting, 'span' | 'server'> & { start: number; end: number };

/**
 * The timeout settings of a postgresql.conf text (`name = value`, `name value`, `#` comments,
 * single-quoted values). Offsets are relative to `text`, plus `base`.
 */
export function parsePostgresConf(text: string, base = 0, origin = 'postgresql.conf', level: DatabaseSettingLevel = 'conf'): ParsedSetting[] {
  const out: ParsedSetting[] = [];
  const line = /^[ \t]*([a-z_][a-z0-9_.]*)[ \t]*(?:=[ \t]*|[ \t]+)('(?:[^'\\\n]|''|\\.)*'|[^\s#']+)/gim;
  for (const match of text.matchAll(line)) {
    const name = match[1]!.toLowerCase();
    if (!POSTGRES_TIMEOUT_SETTINGS.has(name)) continue;
    out.push(settingOf(name, match[2]!, base + match.index! + match[0].length - match[2]!.length, level, `${origin} ${name}`));
  }
  return out;
}

/**
 * `-c name=value` (and `--name=value`) settings on a Postgres server's command line, from its
 * argument words with each word's offset.
 */
export function parseCommandLineSettings(words: ReadonlyArray<{ text: string; start: number }>, origin: string): ParsedSetting[] {
  const out: ParsedSetting[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let setting: { text: string; start: number } | undefined;
    if (word.text === '-c' && words[i + 1]) setting = words[++i];
    else if (word.text.startsWith('-c') && word.text.includes('=')) setting = { text: word.text.slice(2), start: word.start + 2 };
    else if (word.text.startsWith('--') && word.text.includes('=')) setting = { text: word.text.slice(2), start: word.start + 2 };
    if (!setting) continue;
    const eq = setting.text.indexOf('=');
    const name = setting.text.slice(0, eq).replace(/-/g, '_').toLowerCase();
    if (eq < 0 || !POSTGRES_TIMEOUT_SETTINGS.has(name)) continue;
    out.push(settingOf(name, setting.text.slice(eq + 1), setting.start + eq + 1, 'command-line', `${origin} -c ${name}`));
  }
  return out;
}

// `ALTER ROLE|USER name [IN DATABASE db] SET x {=|TO} v`, `ALTER DATABASE db SET …`, `ALTER SYSTEM SET …`.
const IDENT = `"(?:[^"]|"")+"|[A-Za-z_][\\w$]*`;
const ALTER = new RegExp(
  `\\bALTER\\s+(ROLE|USER|DATABASE|SYSTEM)\\s+(?:(${IDENT})\\s+)?(?:IN\\s+DATABASE\\s+(${IDENT})\\s+)?SET\\s+([A-Za-z_]+)\\s*(?:=|\\bTO\\b)\\s*('(?:[^']|'')*'|[\\w.]+)`,
  'gi',
);

/**
 * The timeout settings `ALTER ROLE/USER/DATABASE/SYSTEM … SET` statements in a SQL text make
 * (comments skipped). Offsets are relative to `text`, plus `base`.
 */
export function parseSqlSettings(text: string, base = 0): ParsedSetting[] {
  if (!/alter\s+(?:role|user|database|system)/i.test(text)) return [];
  const comments = commentRanges(text);
  const out: ParsedSetting[] = [];
  for (const match of text.matchAll(ALTER)) {
    if (comments.some(([s, e]) => match.index! >= s && match.index! < e)) continue;
    const [, kind, nameRaw, inDatabaseRaw, settingRaw, valueRaw] = match as unknown as string[];
    const setting = settingRaw!.toLowerCase();
    if (!POSTGRES_TIMEOUT_SETTINGS.has(setting) || /^default$/i.test(valueRaw!)) continue;
    const what = kind!.toUpperCase();
    if (what !== 'SYSTEM' && nameRaw === undefined) continue;
    const name = nameRaw !== undefined ? identifier(nameRaw) : undefined;
    const database = inDatabaseRaw !== undefined ? identifier(inDatabaseRaw) : undefined;
    const valueStart = base + match.index! + match[0].length - valueRaw!.length;
    let level: DatabaseSettingLevel;
    const scope: { role?: string; database?: string } = {};
    if (what === 'SYSTEM') level = 'system';
    else if (what === 'DATABASE') {
      level = 'database';
      scope.database = name!;
    } else if (nameRaw!.toUpperCase() === 'ALL') {
      level = database !== undefined ? 'database' : 'all-roles';
      if (database !== undefined) scope.database = database;
    } else {
      level = database !== undefined ? 'role-database' : 'role';
      scope.role = name!;
      if (database !== undefined) scope.database = database;
    }
    const origin = what === 'SYSTEM' ? `ALTER SYSTEM SET ${setting}` : `ALTER ${what} ${nameRaw}${database !== undefined ? ` IN DATABASE ${inDatabaseRaw}` : ''} SET ${setting}`;
    out.push({ ...settingOf(setting, valueRaw!, valueStart, level, origin), ...scope });
  }
  return out;
}

function settingOf(name: string, raw: string, start: number, level: DatabaseSettingLevel, origin: string): ParsedSetting {
  const quoted = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2;
  const text = quoted ? raw.slice(1, -1).replace(/''/g, "'") : raw;
  const ms = postgresDurationMs(text);
  return { engine: 'postgres', name, text, ...(ms !== undefined ? { ms } : {}), level, origin, start: quoted ? start + 1 : start, end: quoted ? start + raw.length - 1 : start + raw.length };
}

/** Postgres folds unquoted identifiers to lower case; quoted ones keep theirs. */
function identifier(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
}

/** `--` line comments and `/* … *\/` block comments outside string literals. */
function commentRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      out.push([i, end < 0 ? text.length : end]);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      out.push([i, end < 0 ? text.length : end + 2]);
      i = end < 0 ? text.length : end + 2;
    } else i++;
  }
  return out;
}
