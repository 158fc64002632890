// Decides whether a workspace file is an HAProxy configuration, by its path and by its content.
import type { FileId } from '../../types.js';

/**
 * True for the names HAProxy configurations go by: `haproxy.cfg`, `haproxy*.cfg`
 * (`haproxy-prod.cfg`), and any `*.cfg` inside a folder named `haproxy` (`/etc/haproxy/conf.d/x.cfg`).
 */
export function isHaproxyPath(file: FileId): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (!base.endsWith('.cfg')) return false;
  if (base.startsWith('haproxy')) return true;
  return /(^|\/)haproxy\//.test(file);
}

// A proxy section line: the keyword, a name of the characters HAProxy allows in names (invalid_char()), maybe `from <defaults>`.
const NAME = '[A-Za-z0-9_.:-]+';
const PROXY_SECTION = new RegExp(`^[ \\t]*(frontend|backend|listen|defaults)([ \\t]+${NAME})?([ \\t]+from[ \\t]+${NAME})?[ \\t]*(#.*)?$`, 'm');
// Keywords only HAProxy proxy sections use, written the way HAProxy reads them.
const HAPROXY_KEYWORD = /^[ \t]*(bind[ \t]+\S*:\d|server[ \t]+[A-Za-z0-9_.:-]+[ \t]+[^\s=]|mode[ \t]+(http|tcp)\b|timeout[ \t]+(client|server|connect|http-request|http-keep-alive|tunnel|queue)[ \t]+\d|default_backend[ \t]+\S|use_backend[ \t]+\S|balance[ \t]+[a-z]|option[ \t]+(httplog|tcplog|forwardfor|redispatch|httpchk|http-server-close|http-keep-alive|httpclose|dontlognull))/m;

/** True when the text has a proxy section and a keyword only HAProxy uses (an INI or Python `.cfg` has neither). */
export function looksLikeHaproxy(text: string): boolean {
  // Only the head is looked at: the verdict must stay cheap for huge unrelated files.
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  return PROXY_SECTION.test(head) && HAPROXY_KEYWORD.test(head);
}

/**
 * Whether a file is an HAProxy configuration: a name HAProxy configurations go by whose content
 * does not look like something else, or any file whose content looks like HAProxy.
 */
export function isHaproxyConfig(file: FileId, text: string): boolean {
  if (looksLikeHaproxy(text)) return true;
  if (!isHaproxyPath(file)) return false;
  // A `haproxy.cfg` that is an INI file (`[section]` headers, `key = value`) is not one.
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  return !/^\s*\[[^\]\n]+\]\s*$/m.test(head) || /^[ \t]*(global|defaults|frontend|backend|listen)\b/m.test(head);
}
