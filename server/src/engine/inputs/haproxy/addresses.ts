// HAProxy addresses on `server` and `bind` lines (configuration.txt §2.9): prefixes, hosts, ports and port ranges.

export type HaproxyAddressFamily = 'inet' | 'unix' | 'fd' | 'other';

export interface HaproxyAddress {
  /** The address as written (one element of a `bind` list). */
  text: string;
  family: HaproxyAddressFamily;
  /** The host or IP without brackets; '' for `:80`, `*` or `::` for every address. Undefined for unix sockets and fds. */
  host?: string;
  /** The first port; undefined when there is none (a `server` then uses the port the client connected to). */
  port?: number;
  /** The last port of a range (`8000-8010`), equal to `port` for one port. */
  portEnd?: number;
  /** `+N` / `-N` on a `server`: the client's destination port moved by N. */
  portOffset?: number;
  /** Why the address cannot be read (a port out of range, a character in the port). */
  invalid?: string;
}

/** Family prefixes that name an IP socket; the others (`unix@`, `abns@`, `fd@`, `sockpair@`) are not linkable by port. */
const INET_PREFIXES = new Set(['ip', 'ipv4', 'ipv6', 'tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6', 'quic4', 'quic6', 'mptcp', 'mptcp4', 'mptcp6']);

/**
 * Reads one address as str2sa_range() (src/tools.c) does: an optional `family@` prefix (with
 * `stream+`/`dgram+`/`quic+`), a path for unix sockets, otherwise host and port separated at the
 * last colon (so `::1:80` is host `::1`, port 80; brackets are allowed: `[::1]:80`).
 */
export function parseHaproxyAddress(text: string): HaproxyAddress {
  let rest = text;
  let family: HaproxyAddressFamily = 'inet';
  const at = rest.indexOf('@');
  if (at >= 0 && /^[a-z0-9+]+$/.test(rest.slice(0, at))) {
    const prefix = rest.slice(0, at).replace(/^(stream|dgram|quic)\+/, '');
    rest = rest.slice(at + 1);
    if (prefix === 'unix' || prefix === 'abns' || prefix === 'abnsz' || prefix === 'uxst' || prefix === 'uxdg') family = 'unix';
    else if (prefix === 'fd' || prefix === 'sockpair') family = 'fd';
    else if (!INET_PREFIXES.has(prefix)) family = 'other';
  } else if (rest.startsWith('/')) {
    family = 'unix';
  }
  if (family !== 'inet') return { text, family };
  const address: HaproxyAddress = { text, family };
  let colon = -1;
  for (let k = rest.length - 1; k > 0; k--) {
    const c = rest[k];
    if (c === ']') break;
    if (c === ':') {
      colon = k;
      break;
    }
  }
  // HAProxy's scan stops on the first character, which still counts as the separator (`:80`).
  if (colon < 0 && rest.startsWith(':')) colon = 0;
  let host = colon >= 0 ? rest.slice(0, colon) : rest;
  const port = colon >= 0 ? rest.slice(colon + 1) : '';
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  address.host = host;
  if (port === '') return address;
  const offset = /^([+-])(\d+)$/.exec(port);
  if (offset) {
    address.portOffset = (offset[1] === '-' ? -1 : 1) * Number(offset[2]);
    return address;
  }
  const range = /^(\d+)(?:-(\d+))?$/.exec(port);
  if (!range) {
    address.invalid = `invalid port '${port}'`;
    return address;
  }
  const low = Number(range[1]);
  const high = range[2] === undefined ? low : Number(range[2]);
  if (low < 1 || low > 65535 || high < low || high > 65535) {
    address.invalid = `invalid port '${port}'`;
    return address;
  }
  address.port = low;
  address.portEnd = high;
  return address;
}
