// Server-side Postgres settings and the clients they bound: SQL strings of TypeScript migrations read here, every input's settings applied to a client on evidence (one server, or the host its connection string names).
import { LEVEL_ORDER, parseSqlSettings, type DatabaseServer, type DatabaseSetting, type DatabaseSettings } from '../../../database-settings.js';
import type { EnvContext } from '../../../chain/environment.js';
import type { FileId, Span } from '../../../types.js';
import { unwrap, type AstNode } from '../ast.js';
import type { FactsContext } from '../context.js';
import type { TsFileFacts } from '../types.js';
import { urlTargetParts } from './clients.js';
import type { DbClient, DbConnectionPart, DbTimeout, DbTimeoutRole } from './types.js';

const MIGRATION_FILE = /(?:^|\/)(?:migrations?|migrate)\/|migration[^/]*\.[cm]?[jt]s$/i;

/**
 * `ALTER ROLE … SET statement_timeout …` in the SQL strings of a migration file: knex
 * `raw('…')`, TypeORM `queryRunner.query('…')`, `sql\`…\``. Only files in a migrations folder
 * (or named like one) whose text names such a statement are looked at.
 */
export function migrationSettings(ctx: FactsContext): DatabaseSetting[] {
  const text = ctx.tsFile.text;
  if (!MIGRATION_FILE.test(ctx.file) || !/alter\s+(?:role|user|database|system)/i.test(text)) return [];
  const out: DatabaseSetting[] = [];
  const read = (node: AstNode | undefined) => {
    const literal = unwrap(node);
    if (!literal || (literal.type !== 'StringLiteral' && literal.type !== 'TemplateLiteral') || typeof literal.start !== 'number' || typeof literal.end !== 'number') return;
    // The literal's source between its quotes: offsets are the file's (escaped quotes inside are rare in these statements).
    const inner = text.slice(literal.start + 1, literal.end - 1);
    for (const parsed of parseSqlSettings(inner, literal.start + 1)) {
      const { start, end, ...rest } = parsed;
      out.push({ ...rest, span: { file: ctx.file, start, end } });
    }
  };
  for (const call of ctx.walk.calls) for (const argument of call.node.arguments as AstNode[]) read(argument);
  for (const tagged of ctx.walk.taggedTemplates) read(tagged.node.quasi);
  return out;
}

/** The settings the TypeScript input read (its migrations), for the chain walk and the rules. */
export function tsDatabaseSettings(files: ReadonlyMap<FileId, TsFileFacts>): DatabaseSettings {
  const settings: DatabaseSetting[] = [];
  for (const facts of files.values()) if (facts.db?.serverSettings) settings.push(...facts.db.serverSettings);
  return { servers: [], settings };
}

/** Why a server-side setting applies to a client, or why it does not: shown as the database hop's evidence. */
export interface ServerSettingNote {
  text: string;
  span?: Span;
}

const ROLE_OF_SETTING: Readonly<Record<string, DbTimeoutRole>> = { statement_timeout: 'statement', idle_in_transaction_session_timeout: 'idle', lock_timeout: 'lock' };

/**
 * The client's timeouts with the server-side settings that apply to it: a setting fills a role the
 * client leaves to the server (`none`); a value the client sets itself wins (it is a startup
 * parameter, above every server-side level). A setting applies only on evidence: the server it
 * configures is the one the client's host names, or the workspace has one Postgres server (or none
 * declared); a migration's `ALTER ROLE`/`ALTER DATABASE` is kept by the database it ran against,
 * so it also applies to a host elsewhere (a managed database), but needs the client's user or
 * database to match. With several servers and no host to choose, nothing applies. The notes say
 * which setting applies and why, or why one does not.
 */
export function withServerSettings(client: DbClient, timeouts: DbTimeout[], env: EnvContext, all: DatabaseSettings): { timeouts: DbTimeout[]; notes: ServerSettingNote[] } {
  const notes: ServerSettingNote[] = [];
  if (!client.postgres || all.settings.length === 0) return { timeouts, notes };
  const connection = connectionOf(client, env);
  const server = chooseServer(all.servers, connection.host);
  const applicable: DatabaseSetting[] = [];
  for (const setting of all.settings) {
    const reason = whyNot(setting, server, connection);
    if (reason) notes.push({ text: `server-side ${setting.name} ${setting.text} (${setting.origin}) not applied: ${reason}`, span: setting.span });
    else applicable.push(setting);
  }
  const out = [...timeouts];
  for (const [name, role] of Object.entries(ROLE_OF_SETTING)) {
    const winner = strongest(applicable.filter((s) => s.name === name));
    if (!winner) continue;
    const index = out.findIndex((t) => t.role === role && (t.option.endsWith(name) || role === 'statement'));
    const own = index >= 0 ? out[index] : undefined;
    if (own && own.source !== 'none') {
      notes.push({ text: `the client's own ${own.option} ${own.text} wins over ${winner.origin} ${winner.text} (a startup parameter outranks every server-side setting)`, span: winner.span });
      continue;
    }
    const timeout: DbTimeout = { role, option: name, source: winner.ms === undefined ? 'unknown' : 'set', text: winner.text, span: winner.span, via: 'server', serverOrigin: winner.origin, factsRef: '§17' };
    if (winner.ms !== undefined) {
      if (winner.ms === 0) timeout.disabled = true;
      else timeout.ms = winner.ms;
    }
    const why = winner.server || (server.server && !server.elsewhere) ? server.evidence
      : winner.level === 'conf' || winner.level === 'system' || winner.level === 'command-line' ? 'the workspace declares no Postgres server, so this configuration is the database\'s'
      : 'a migration\'s setting is kept by the database it ran against';
    notes.push({ text: `the server-side ${winner.origin} ${winner.text}, since the client sets no ${name} (${why})`, span: winner.span });
    if (index >= 0) out[index] = timeout;
    else out.push(timeout);
  }
  return { timeouts: out, notes };
}

/** The setting that wins: the highest level, then the last written (later migrations override earlier ones). */
function strongest(settings: DatabaseSetting[]): DatabaseSetting | undefined {
  let best: DatabaseSetting | undefined;
  for (const setting of [...settings].sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start - b.span.start))) {
    if (!best || LEVEL_ORDER[setting.level] >= LEVEL_ORDER[best.level]) best = setting;
  }
  return best;
}

interface Connection {
  host?: string;
  user?: string;
  database?: string;
  /** What was not known, for notes. */
  hostUnknown: boolean;
}

/** The server the client reaches: by host name, or the only one; `ambiguous` when neither decides. */
interface ChosenServer {
  server?: DatabaseServer;
  /** True when the workspace declares servers but none is known to be the client's. */
  ambiguous: boolean;
  /** True when the client's host names none of the workspace's servers (a managed database elsewhere). */
  elsewhere: boolean;
  evidence: string;
}

function chooseServer(servers: readonly DatabaseServer[], host: string | undefined): ChosenServer {
  if (host !== undefined && !isLoopback(host)) {
    const named = servers.filter((s) => s.names.some((n) => hostMatches(n, host)));
    if (named.length === 1) return { server: named[0]!, ambiguous: false, elsewhere: false, evidence: `host ${host} names ${named[0]!.owner}` };
    if (named.length > 1) return { ambiguous: true, elsewhere: false, evidence: `host ${host} names ${named.length} Postgres servers (${named.map((s) => s.owner).join(', ')})` };
    if (servers.length > 0) return { ambiguous: false, elsewhere: true, evidence: `host ${host} is none of the workspace's Postgres servers (${servers.map((s) => s.owner).join(', ')})` };
    return { ambiguous: false, elsewhere: false, evidence: '' };
  }
  if (servers.length === 1) return { server: servers[0]!, ambiguous: false, elsewhere: false, evidence: `the workspace's one Postgres server, ${servers[0]!.owner}` };
  if (servers.length > 1) return { ambiguous: true, elsewhere: false, evidence: `the workspace has ${servers.length} Postgres servers (${servers.map((s) => s.owner).join(', ')}) and the client's host is ${host === undefined ? 'not known' : host}` };
  return { ambiguous: false, elsewhere: false, evidence: '' };
}

function whyNot(setting: DatabaseSetting, chosen: ChosenServer, connection: Connection): string | undefined {
  if (chosen.ambiguous) return chosen.evidence;
  if (setting.server) {
    if (chosen.server !== setting.server) return chosen.elsewhere ? chosen.evidence : `it configures ${setting.server.owner}, which the client's connection does not name`;
  } else if (chosen.elsewhere && (setting.level === 'conf' || setting.level === 'command-line' || setting.level === 'system')) return chosen.evidence;
  if (setting.role !== undefined && setting.level !== 'all-roles') {
    if (connection.user === undefined) return `the client's user is not known (ALTER ROLE applies to role ${setting.role} only)`;
    if (connection.user !== setting.role) return `the client connects as ${connection.user}, not ${setting.role}`;
  }
  if (setting.database !== undefined) {
    if (connection.database === undefined) return `the client's database is not known (the setting applies to database ${setting.database} only)`;
    if (connection.database !== setting.database) return `the client connects to database ${connection.database}, not ${setting.database}`;
  }
  return undefined;
}

/** Host, user and database in the chain's environment: options, then the connection string, then libpq's PG* variables. */
function connectionOf(client: DbClient, env: EnvContext): Connection {
  const read = (part: DbConnectionPart | undefined): string | undefined => {
    if (!part) return undefined;
    if ('text' in part) return part.text;
    if ('env' in part) {
      const binding = env.get(part.env);
      return binding && !binding.unknown && binding.text !== undefined ? binding.text : undefined;
    }
    return undefined;
  };
  const target = client.target ?? {};
  const urlText = client.urlEnv ? env.get(client.urlEnv) : undefined;
  const url = urlText && !urlText.unknown && urlText.text !== undefined ? urlTargetParts(urlText.text) : client.urlEnv && client.urlFallback ? urlTargetParts(client.urlFallback) : {};
  const pg = (name: string) => {
    const binding = env.get(name);
    return binding && !binding.unknown ? binding.text : undefined;
  };
  const host = read(target.host) ?? url.host ?? pg('PGHOST');
  const user = read(target.user) ?? url.user ?? pg('PGUSER');
  const database = read(target.database) ?? url.database ?? pg('PGDATABASE');
  const out: Connection = { hostUnknown: host === undefined };
  if (host !== undefined) out.host = host.toLowerCase();
  if (user !== undefined) out.user = user;
  if (database !== undefined) out.database = database;
  return out;
}

function hostMatches(name: string, host: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('*')) return host.endsWith(lower.slice(1)) || host.split('.')[0]!.endsWith(lower.slice(1));
  return host === lower || host.split('.')[0] === lower;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
}
