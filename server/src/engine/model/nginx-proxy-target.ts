// Parses `proxy_pass`-style targets into scheme, host, port and path, marking variables as unresolved.
import type { NginxDirective } from '../parse/nginx/ast.js';
import type { Span } from '../types.js';

export interface ProxyTarget {
  directive: NginxDirective;
  /** `proxy_pass`, `grpc_pass`, `fastcgi_pass` or `uwsgi_pass`. */
  via: string;
  raw: string;
  span: Span;
  scheme?: string;
  /** Host name, IP address or upstream name; undefined when the target is a variable or a socket. */
  host?: string;
  port?: number;
  path?: string;
  /** True when the target contains an nginx variable (`$backend`): resolved only at request time. */
  unresolved: boolean;
  unixSocket?: string;
}

export function parseProxyTarget(directive: NginxDirective): ProxyTarget {
  const arg = directive.args[0];
  const raw = arg?.value ?? '';
  let path: string | undefined;
  // Every field is written in one literal, in one order: one hidden class for every location of a gateway.
  const target = (fields: { host?: string; port?: number; unresolved?: boolean; unixSocket?: string }): ProxyTarget => ({
    directive, via: directive.name, raw, span: arg?.span ?? directive.nameSpan,
    scheme, host: fields.host, port: fields.port, path, unresolved: fields.unresolved ?? false, unixSocket: fields.unixSocket,
  });
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  const rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;
  const scheme = schemeMatch ? schemeMatch[1]!.toLowerCase() : undefined;
  if (rest.startsWith('unix:')) return target({ unixSocket: rest.slice(5).split(':')[0] });
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  if (slash >= 0) path = rest.slice(slash);
  if (authority.includes('$')) return target({ unresolved: true });
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
  if (bracketed) return target({ host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined });
  const colon = authority.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(authority.slice(colon + 1))) {
    return target({ host: authority.slice(0, colon), port: Number(authority.slice(colon + 1)) });
  }
  return target({ host: authority || undefined, unresolved: authority === '' });
}
