// What a HAProxy proxy listens on and routes to: `bind` addresses, `acl`s, `use_backend` rules and `server` lines with their flags.
import type { Span } from '../../types.js';
import type { HaproxySection, HaproxyStatement, HaproxyWord } from './ast.js';
import { parseHaproxyAddress, type HaproxyAddress } from './addresses.js';
import { statementReach } from './parse.js';

export interface HaproxyBind {
  statement: HaproxyStatement;
  /** The comma-separated addresses of the first argument. */
  addresses: HaproxyAddress[];
  /** The address argument as written. */
  addressSpan: Span;
  /** An environment variable in the address has no known value. */
  unresolved: boolean;
  ssl: boolean;
  conditional: boolean;
}

export interface HaproxyAcl {
  statement: HaproxyStatement;
  name: string;
  /** The criterion and values as written (`hdr(upgrade) -i websocket`). */
  text: string;
}

export interface HaproxyUseBackend {
  statement: HaproxyStatement;
  /** The backend name; undefined when it is a log-format expression (`%[…]`) or unresolved. */
  backend?: string;
  backendWord: HaproxyWord;
  /** `if` / `unless` and the condition as written; undefined for an unconditional rule. */
  condition?: { kind: 'if' | 'unless'; text: string; span: Span };
  conditional: boolean;
}

export interface HaproxyServerFlags {
  check: boolean;
  backup: boolean;
  disabled: boolean;
  /** Parameters with a value (`inter 2s`, `pool-purge-delay 10s`), the last one written winning, `default-server` ones included. */
  params: Readonly<Record<string, HaproxyWord>>;
}

export interface HaproxyServer extends HaproxyServerFlags {
  statement: HaproxyStatement;
  name: string;
  address?: HaproxyAddress;
  addressSpan?: Span;
  /** An environment variable in the address has no known value. */
  unresolved: boolean;
  /** `server-template`: how many servers the line makes (undefined when unreadable). */
  templateCount?: number;
  conditional: boolean;
}

export interface HaproxyRouting {
  binds: HaproxyBind[];
  acls: HaproxyAcl[];
  useBackends: HaproxyUseBackend[];
  servers: HaproxyServer[];
  /** The `default-server` flags in force at the end of the section (what a proxy inheriting from it starts with). */
  defaultServer: HaproxyServerFlags;
}

/**
 * Server parameters that take a value (configuration.txt §5.2), so that a value is never read as
 * a flag (`cookie check` names a cookie, it does not enable checks).
 */
const SERVER_PARAMS_WITH_VALUE = new Set([
  'addr', 'agent-addr', 'agent-inter', 'agent-port', 'agent-send', 'alpn', 'ca-file', 'check-alpn', 'check-proto', 'check-sni',
  'ciphers', 'ciphersuites', 'client-sigalgs', 'cookie', 'crl-file', 'crt', 'curves', 'downinter', 'error-limit', 'fall',
  'fastinter', 'guid', 'hash-key', 'id', 'init-addr', 'init-state', 'inter', 'log-bufsize', 'log-proto', 'max-reuse',
  'maxconn', 'maxqueue', 'minconn', 'namespace', 'npn', 'observe', 'on-error', 'on-marked-down', 'on-marked-up',
  'pool-conn-name', 'pool-low-conn', 'pool-max-conn', 'pool-purge-delay', 'port', 'proto', 'redir', 'resolve-net',
  'resolve-opts', 'resolve-prefer', 'resolvers', 'rise', 'send-proxy-v2-options', 'set-proxy-v2-tlv-fmt', 'shard',
  'sigalgs', 'slowstart', 'sni', 'source', 'ssl-max-ver', 'ssl-min-ver', 'strict-maxconn', 'tcp-md5sig', 'tcp-ut', 'track', 'usesrc',
  'verify', 'verifyhost', 'weight', 'ws',
]);

const NO_FLAGS: HaproxyServerFlags = { check: false, backup: false, disabled: false, params: {} };

/** Reads the routing facts of a proxy section's live statements. */
export function readRouting(
  section: HaproxySection, live: HaproxyStatement[], kind: string, inheritedDefaultServer: HaproxyServerFlags | undefined,
): HaproxyRouting {
  // default-server settings are copied from the defaults section (proxy_defproxy_cpy()), then changed line by line.
  const routing: HaproxyRouting = { binds: [], acls: [], useBackends: [], servers: [], defaultServer: { ...(inheritedDefaultServer ?? NO_FLAGS) } };
  for (const statement of live) {
    if (statement.modifier !== null) continue;
    const conditional = statementReach(statement) === 'conditional';
    switch (statement.keyword) {
      case 'bind':
        if (kind !== 'backend' && kind !== 'defaults') routing.binds.push(readBind(statement, conditional));
        break;
      case 'acl':
        if (statement.args[0]) {
          const rest = statement.args.slice(1);
          routing.acls.push({ statement, name: statement.args[0].value, text: joinWords(rest) });
        }
        break;
      case 'use_backend':
        if (statement.args[0]) routing.useBackends.push(readUseBackend(section, statement, conditional));
        break;
      case 'default-server':
        applyServerFlags(routing.defaultServer, statement.args);
        break;
      case 'server':
      case 'server-template':
        if (kind !== 'frontend' && kind !== 'defaults') {
          const server = readServer(statement, routing.defaultServer, conditional);
          if (server) routing.servers.push(server);
        }
        break;
    }
  }
  return routing;
}

function applyServerFlags(flags: HaproxyServerFlags, params: HaproxyWord[]): void {
  for (let k = 0; k < params.length; k++) {
    const word = params[k]!.value;
    if (SERVER_PARAMS_WITH_VALUE.has(word)) {
      const value = params[k + 1];
      if (value) flags.params = { ...flags.params, [word]: value };
      k++;
      continue;
    }
    if (word === 'check') flags.check = true;
    else if (word === 'no-check') flags.check = false;
    else if (word === 'backup') flags.backup = true;
    else if (word === 'no-backup') flags.backup = false;
    else if (word === 'disabled') flags.disabled = true;
    else if (word === 'enabled') flags.disabled = false;
  }
}

function readBind(statement: HaproxyStatement, conditional: boolean): HaproxyBind {
  const word = statement.args[0];
  const addresses = word && !word.unresolved ? word.value.split(',').filter((a) => a !== '').map(parseHaproxyAddress) : [];
  return {
    statement,
    addresses,
    addressSpan: word?.span ?? statement.span,
    unresolved: word?.unresolved === true,
    ssl: statement.args.slice(1).some((w) => w.value === 'ssl'),
    conditional,
  };
}

function readUseBackend(section: HaproxySection, statement: HaproxyStatement, conditional: boolean): HaproxyUseBackend {
  const word = statement.args[0]!;
  const rule: HaproxyUseBackend = { statement, backendWord: word, conditional };
  // A name with `%[` is a log-format expression evaluated per request (configuration.txt "use_backend").
  if (!word.unresolved && !word.value.includes('%[')) rule.backend = word.value;
  const keyword = statement.args[1];
  if (keyword && (keyword.value === 'if' || keyword.value === 'unless')) {
    const words = statement.args.slice(2);
    const span: Span = words.length > 0 ? { file: section.header.span.file, start: words[0]!.span.start, end: words[words.length - 1]!.span.end } : keyword.span;
    rule.condition = { kind: keyword.value, text: joinWords(words), span };
  }
  return rule;
}

function readServer(statement: HaproxyStatement, defaults: HaproxyServerFlags, conditional: boolean): HaproxyServer | undefined {
  const template = statement.keyword === 'server-template';
  const nameWord = statement.args[0];
  if (!nameWord) return undefined;
  const addressWord = statement.args[template ? 2 : 1];
  const flags = { ...defaults };
  applyServerFlags(flags, statement.args.slice(template ? 3 : 2));
  const server: HaproxyServer = {
    statement, name: nameWord.value, ...flags, unresolved: addressWord?.unresolved === true, conditional,
  };
  if (addressWord) {
    server.addressSpan = addressWord.span;
    if (!addressWord.unresolved) server.address = parseHaproxyAddress(addressWord.value);
  }
  if (template) {
    const count = /^(\d+)(?:-(\d+))?$/.exec(statement.args[1]?.value ?? '');
    if (count) server.templateCount = count[2] === undefined ? Number(count[1]) : Number(count[2]) - Number(count[1]) + 1;
  }
  return server;
}

/** The words as HAProxy reads them, joined by one space (the span keeps the text as written). */
function joinWords(words: HaproxyWord[]): string {
  return words.map((w) => w.value).join(' ');
}
