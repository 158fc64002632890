// Host and port forms shared by every input that sends or routes requests: loopback, cluster-internal names, `host:port` splitting, paths relative to a file.
import type { FileId } from '../types.js';

/** `localhost`, `127.0.0.1` (any 127.x), `::1`, `0.0.0.0`: this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || bare === '0.0.0.0' || /^127(\.\d{1,3}){3}$/.test(bare);
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^(?=.*::|(?:[0-9a-f]{1,4}:){7})(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}$/i;

/** An IPv4 address (`10.0.3.7`) or an IPv6 one (`fd00::7`, bracketed or not): no name to resolve. */
export function isIpAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return IPV4.test(bare) || IPV6.test(bare);
}

/** Host names that can only be inside the system: single labels, cluster DNS, `.internal`/`.local`. */
export function looksInternal(host: string): boolean {
  if (host === '' || host === 'localhost' || /^[\d.]+$|:/.test(host)) return false;
  return !host.includes('.') || /\.(svc|svc\.cluster\.local|cluster\.local|internal|local)$/.test(host);
}

/** `http://api:8080/x` → `['api', 8080]`; `[::1]:80` → `['::1', 80]`; a unix socket has no host. */
export function splitHostPort(address: string): [string | undefined, number | undefined] {
  const withoutScheme = address.replace(/^[a-z]+:\/\//i, '');
  if (withoutScheme.startsWith('unix:')) return [undefined, undefined];
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(withoutScheme);
  if (bracketed) return [bracketed[1], bracketed[2] ? Number(bracketed[2]) : undefined];
  const m = /^([^:/]+)(?::(\d+))?/.exec(withoutScheme);
  return m ? [m[1], m[2] ? Number(m[2]) : undefined] : [undefined, undefined];
}

/** A path relative to a file's folder (`./api` from `deploy/docker-compose.yml` is `deploy/api`). */
export function joinRelative(file: FileId, relative: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
