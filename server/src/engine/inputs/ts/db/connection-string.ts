// Database connection strings: their timeout parameters, and credentials masked before any of their text is kept or shown.

/** What replaces a password (or a secret query parameter) wherever a connection string's text is kept. */
export const MASK = '****';

// Query or key/value parameters that hold secrets in the connection strings of pg, mysql2, MongoDB, Redis and Prisma.
const SECRET_PARAMETER = /\b(password|passwd|pass|pwd|sslpassword|secret|token|auth|access_?key|api_?key)=("[^"]*"|'[^']*'|[^&\s;'"`]+)/gi;

/**
 * Masks every credential in `text`: the password of each `scheme://user:password@host` (kept: scheme,
 * user, host), and the value of secret parameters (`?password=…`, libpq `password=…`). Text without
 * credentials comes back unchanged. Use it on every string that came from a connection string.
 * `keepLength` stars each character out instead, for excerpts whose columns must stay in place.
 */
export function maskCredentials(text: string, options: { keepLength?: boolean } = {}): string {
  const mask = (secret: string) => (options.keepLength ? '*'.repeat(secret.length) : MASK);
  let out = '';
  let at = 0;
  // The scheme is bounded (no real one is longer): an unbounded `[a-z0-9+.-]*` retried at every offset of a long word is quadratic.
  for (const match of text.matchAll(/[a-z][a-z0-9+.-]{0,31}:\/\//gi)) {
    const authorityStart = match.index! + match[0].length;
    if (authorityStart < at) continue;
    // The authority ends at the path, query, fragment, whitespace or a quote; a password may hold an unencoded '@', so the last one counts.
    let end = authorityStart;
    while (end < text.length && !/[/?#\s'"`]/.test(text[end]!)) end++;
    const authority = text.slice(authorityStart, end);
    const atSign = authority.lastIndexOf('@');
    if (atSign < 0) continue;
    const colon = authority.indexOf(':');
    // `user@host` has no password; `:password@host` (Redis) and `user:password@host` do.
    if (colon < 0 || colon > atSign) continue;
    out += text.slice(at, authorityStart + colon + 1) + mask(authority.slice(colon + 1, atSign));
    at = authorityStart + atSign;
  }
  out += text.slice(at);
  return out.replace(SECRET_PARAMETER, (_whole, name: string, value: string) => `${name}=${mask(value)}`);
}

/** True when `text` reads as a connection URL with a scheme (`postgres://`, `mongodb+srv://`, `redis://`, `mysql://`, `file:`). */
export function isConnectionUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
}

/** One timeout parameter of a connection string, with its offset in the string (for spans and edits). */
export interface UrlParameter {
  name: string;
  /** The value as written (decoded). */
  text: string;
  /** Offset of the value in the connection string's text. */
  offset: number;
  length: number;
}

/**
 * The query parameters of a connection URL that concern timeouts, decoded. A libpq `options`
 * parameter (`options=-c statement_timeout=30s`) contributes each `-c name=value` setting as its
 * own parameter, at the offset of its value. Credentials are never returned.
 */
export function urlParameters(url: string): UrlParameter[] {
  const question = url.indexOf('?');
  if (question < 0) return [];
  const out: UrlParameter[] = [];
  let offset = question + 1;
  for (const piece of url.slice(question + 1).split('&')) {
    const eq = piece.indexOf('=');
    if (eq > 0) {
      const name = safeDecode(piece.slice(0, eq));
      const raw = piece.slice(eq + 1).split('#')[0]!;
      const valueOffset = offset + eq + 1;
      if (name === 'options') out.push(...libpqOptions(raw, valueOffset));
      else if (TIMEOUT_PARAMETER.test(name)) out.push({ name, text: safeDecode(raw), offset: valueOffset, length: raw.length });
    }
    offset += piece.length + 1;
  }
  return out;
}

// Parameters that can bound a wait; credentials and unrelated parameters are never read.
const TIMEOUT_PARAMETER = /timeout|TimeoutMS$|maxTimeMS/i;

/** `-c statement_timeout=30s -c lock_timeout=5s` (URL-encoded as `-c%20statement_timeout%3D30s`) as parameters. */
function libpqOptions(raw: string, valueOffset: number): UrlParameter[] {
  const decoded = safeDecode(raw.replace(/\+/g, ' '));
  const out: UrlParameter[] = [];
  for (const match of decoded.matchAll(/(?:^|\s)-c\s*([a-z_]+)=(\S+)/g)) {
    if (!TIMEOUT_PARAMETER.test(match[1]!)) continue;
    // Offsets inside an encoded value are not the decoded ones: point at the whole `options` value then.
    const exact = decoded === raw;
    const at = exact ? valueOffset + match.index! + match[0].indexOf(match[2]!, match[0].indexOf('=')) : valueOffset;
    out.push({ name: match[1]!, text: match[2]!, offset: at, length: exact ? match[2]!.length : raw.length });
  }
  return out;
}

/** A Postgres duration setting in milliseconds (one reader for every input: engine/database-settings.ts). */
export { postgresDurationMs } from '../../../database-settings.js';

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
