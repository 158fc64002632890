// Parses `proxy_pass`-style targets into scheme, host, port and path, marking variables as unresolved.
import type { NginxDirective } from './ast.js';
import type { Span } from '../../types.js';

export interface ProxyTarget {
  directive: NginxDirective;
  /** `proxy_pass`, `grpc_pass`, `fastcgi_pass` or `uwsgi_pass`. */
  via: string;
  raw: string;
  span: Span;
  /** Lower-cased literal scheme; undefined when absent or a variable (see `schemeVariable`). */
  scheme?: string;
  /** `$scheme` in `proxy_pass $scheme://api`: only the scheme is chosen at request time, the host is literal. */
  schemeVariable?: string;
  /** Host name, IP address or upstream name; undefined when the target is a variable or a socket. */
  host?: string;
  port?: number;
  /** The URI part, variables kept as written (`/v1/`, `$request_uri`, `/$1`). */
  path?: string;
  /** True when the host or port is (or may be changed by) an nginx variable: resolved only at request time. */
  unresolved: boolean;
  /** Why the target is unresolved, in words for a message (`the host is a variable`). */
  unresolvedReason?: string;
  unixSocket?: string;
  /** Variables of the target read from an unconditional literal `set` (the target was read with their values). */
  setVariables?: SetVariable[];
}

/** `set $name value;` with a literal value, where it is written. */
export interface SetVariable {
  name: string;
  value: string;
  span: Span;
  /** 1-based line of the `set` directive. */
  line: number;
}

/**
 * Variables whose value always starts with "/" (nginx sets them from the request URI): written right
 * after the host (`http://api:8080$request_uri`) they are the URI part, never part of the host.
 */
const URI_VARIABLE = /\$(?:request_uri|uri|document_uri)(?![A-Za-z0-9_])|\$\{(?:request_uri|uri|document_uri)\}/;

export function parseProxyTarget(directive: NginxDirective): ProxyTarget {
  const raw = directive.args[0]?.value ?? '';
  return parseTargetText(directive, raw, raw, undefined);
}

/**
 * The target read again with the values of variables an unconditional `set` gives a literal value
 * (`set $backend api; proxy_pass http://$backend:8080;`, the usual way to make nginx resolve a
 * container name per request): `valueOf` answers for a variable name (without `$`), or undefined
 * when its value is not known. The target is returned as it was when no variable has a value.
 */
export function withSetVariables(target: ProxyTarget, valueOf: (name: string) => SetVariable | undefined): ProxyTarget {
  if (!target.raw.includes('$')) return target;
  const used: SetVariable[] = [];
  const text = target.raw.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (written: string, braced: string | undefined, plain: string | undefined) => {
    const set = valueOf((braced ?? plain)!);
    if (!set) return written;
    if (!used.includes(set)) used.push(set);
    return set.value;
  });
  return used.length === 0 ? target : parseTargetText(target.directive, target.raw, text, used);
}

function parseTargetText(directive: NginxDirective, raw: string, text: string, setVariables: SetVariable[] | undefined): ProxyTarget {
  const arg = directive.args[0];
  let path: string | undefined;
  // Every field is written in one literal, in one order: one hidden class for every location of a gateway.
  const target = (fields: { host?: string; port?: number; unresolvedReason?: string; unixSocket?: string }): ProxyTarget => ({
    directive, via: directive.name, raw, span: arg?.span ?? directive.nameSpan,
    scheme, schemeVariable, host: fields.host, port: fields.port, path,
    unresolved: fields.unresolvedReason !== undefined, unresolvedReason: fields.unresolvedReason, unixSocket: fields.unixSocket,
    setVariables,
  });
  const schemeMatch = /^(?:([a-z][a-z0-9+.-]*)|(\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})):\/\//i.exec(text);
  const rest = schemeMatch ? text.slice(schemeMatch[0].length) : text;
  const scheme = schemeMatch?.[1]?.toLowerCase();
  const schemeVariable = schemeMatch?.[2];
  if (rest.startsWith('unix:')) return target({ unixSocket: rest.slice(5).split(':')[0] });
  // The host ends at the first "/" or at a variable that is a URI; any other variable may change the host or port.
  const uriVariable = URI_VARIABLE.exec(rest);
  const slash = rest.indexOf('/');
  const end = [slash, uriVariable?.index ?? -1].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), rest.length);
  const authority = rest.slice(0, end);
  if (end < rest.length) path = rest.slice(end);
  if (authority.startsWith('$')) return target({ unresolvedReason: 'the host is a variable' });
  if (authority.includes('$')) return target({ unresolvedReason: /:[^:\]]*\$/.test(authority) ? 'the port is a variable' : 'a variable is part of the host' });
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
  if (bracketed) return target({ host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined });
  const colon = authority.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(authority.slice(colon + 1))) {
    return target({ host: authority.slice(0, colon), port: Number(authority.slice(colon + 1)) });
  }
  return target({ host: authority || undefined, ...(authority === '' ? { unresolvedReason: 'the target names no host' } : {}) });
}

/**
 * What an inferred reading of a target rests on, when variables are in it but the host is literal:
 * `host api from proxy_pass http://api:8080$request_uri (the URI part is a variable)`. Undefined for a
 * target without variables (nothing was inferred).
 */
export function proxyTargetInference(target: ProxyTarget): string | undefined {
  if (target.unresolved || !target.host || !target.raw.includes('$')) return undefined;
  const parts: string[] = [];
  for (const set of target.setVariables ?? []) parts.push(`$${set.name} is \`${set.value}\`, set at ${set.span.file}:${set.line}`);
  if (target.schemeVariable) parts.push(`only the scheme ${target.schemeVariable} is a variable`);
  if (target.path?.includes('$')) {
    parts.push(/^\$\{?(request_uri|uri|document_uri)\}?$/.test(target.path) ? `the URI part ${target.path} passes the request path` : `the URI part ${target.path} is a variable, the request path is kept`);
  }
  return `host ${target.host} from ${target.via} ${target.raw} (${parts.join('; ')})`;
}
