// Per-proxy facts of HAProxy files: effective settings with provenance (set here, from which defaults section, or HAProxy's default), routes, binds and servers.
import type { Problem, Span } from '../../types.js';
import type { HaproxyFile, HaproxyReach, HaproxySection, HaproxyStatement } from './ast.js';
import type { HaproxyTimeWarning } from './duration.js';
import { statementReach } from './parse.js';
import {
  BALANCE_KNOB, DEFAULT_BACKEND_KNOB, HAPROXY_TIMEOUT_NAMES, HTTP_MODE_KNOB, MODE_KNOB, REDISPATCH_KNOB, RETRIES_KNOB,
  RETRY_ON_KNOB, TIMEOUT_KNOBS, type HaproxyHttpConnectionMode, type HaproxyKnob, type HaproxyRedispatch, type HaproxySide,
  type HaproxyTimeoutName,
} from './knobs.js';
import { readRouting, type HaproxyAcl, type HaproxyBind, type HaproxyServer, type HaproxyServerFlags, type HaproxyUseBackend } from './routing.js';

export type HaproxyProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

export type HaproxySource =
  | { kind: 'set'; statement: HaproxyStatement; section: HaproxySection }
  /** Set in a `defaults` section (the one named, or one it inherits `from`). */
  | { kind: 'inherited'; statement: HaproxyStatement; section: HaproxySection }
  | { kind: 'default'; factsRef: string };

export interface HaproxySetting<T> {
  /** The value HAProxy uses; undefined when the linter cannot know it (see `unknown`). */
  value?: T;
  /** The value as written, or the default's description. */
  text: string;
  source: HaproxySource;
  /**
   * Why the value is not known: an environment variable without a value, a statement inside a
   * conditional block the linter cannot evaluate, or a value HAProxy refuses.
   */
  unknown?: 'unresolved' | 'conditional' | 'invalid';
  /** The written value's span (set and inherited settings). */
  valueSpan?: Span;
  /** A value HAProxy accepts with a warning: `10sec` (read as 10 s), a bare 1–99 (milliseconds!). */
  warning?: HaproxyTimeWarning;
}

export interface HaproxyProxy {
  kind: HaproxyProxyKind;
  /** Undefined for an anonymous `defaults`. */
  name?: string;
  section: HaproxySection;
  /** The `defaults` section this proxy takes its settings from. */
  defaults?: HaproxyProxy;
  /** `from`: named explicitly; `implicit`: the last defaults section before it; `none`: starts from HAProxy's defaults. */
  defaultsBy: 'from' | 'implicit' | 'none';
  /** Whether HAProxy reads the section at all (its header inside a conditional block). */
  reach: HaproxyReach;
  /** Client-side settings apply (frontend, listen, defaults). */
  frontendSide: boolean;
  /** Server-side settings apply (backend, listen, defaults). */
  backendSide: boolean;
  /** The timeouts of the proxy's sides. */
  timeouts: Partial<Record<HaproxyTimeoutName, HaproxySetting<number | null>>>;
  retries?: HaproxySetting<number>;
  retryOn?: HaproxySetting<string[]>;
  redispatch?: HaproxySetting<HaproxyRedispatch>;
  httpConnectionMode: HaproxySetting<HaproxyHttpConnectionMode>;
  mode: HaproxySetting<string>;
  balance?: HaproxySetting<string>;
  defaultBackend?: HaproxySetting<string | null>;
  useBackends: HaproxyUseBackend[];
  acls: HaproxyAcl[];
  binds: HaproxyBind[];
  servers: HaproxyServer[];
  /** The `default-server` flags at the end of the section: what proxies inheriting from a defaults section start with. */
  defaultServer: HaproxyServerFlags;
  /** Statements HAProxy accepts with a warning and ignores here (a server-side timeout in a frontend). */
  ignored: Array<{ statement: HaproxyStatement; reason: string }>;
}

export interface HaproxyModel {
  files: HaproxyFile[];
  /** Every proxy section in order, `defaults` included. */
  proxies: HaproxyProxy[];
  /** Values HAProxy refuses and references it cannot resolve (unknown `from`). */
  problems: Problem[];
}

/**
 * Builds the proxies of one HAProxy configuration: files in the order HAProxy loads them (a
 * `defaults` section carries over into the next file, as with `-f a.cfg -f b.cfg`).
 */
export function buildHaproxyModel(files: HaproxyFile[]): HaproxyModel {
  const model: HaproxyModel = { files, proxies: [], problems: [] };
  let lastDefaults: HaproxyProxy | undefined;
  const named = new Map<string, HaproxyProxy>();
  for (const file of files) {
    for (const section of file.sections) {
      if (!section.proxy) continue;
      const reach = statementReach(section.header);
      if (reach === 'never') continue;
      const kind = section.kind as HaproxyProxyKind;
      let defaults: HaproxyProxy | undefined;
      let defaultsBy: HaproxyProxy['defaultsBy'] = 'none';
      if (section.from) {
        defaults = named.get(section.from.value);
        defaultsBy = 'from';
        if (!defaults) {
          model.problems.push({ kind: 'syntax', message: `defaults section '${section.from.value}' not found (it must come before)`, span: section.from.span });
        }
      } else if (kind !== 'defaults' && lastDefaults) {
        defaults = lastDefaults;
        defaultsBy = 'implicit';
      }
      const proxy = resolveProxy(section, kind, reach, defaults, defaultsBy, model.problems);
      model.proxies.push(proxy);
      if (kind === 'defaults') {
        lastDefaults = proxy;
        if (section.name) named.set(section.name.value, proxy);
      }
    }
  }
  return model;
}

/** The proxy a `use_backend`/`default_backend` name designates (a backend or a listen section). */
export function findBackend(model: HaproxyModel, name: string): HaproxyProxy | undefined {
  return model.proxies.find((p) => (p.kind === 'backend' || p.kind === 'listen') && p.name === name);
}

/**
 * A timeout's value after HAProxy's fallbacks (http-keep-alive → http-request → client, queue →
 * connect, client-fin → client, server-fin → server), with the setting that provided it.
 * `value` null means no timeout.
 */
export function effectiveTimeout(proxy: HaproxyProxy, name: HaproxyTimeoutName): { name: HaproxyTimeoutName; setting: HaproxySetting<number | null> } | undefined {
  let current: HaproxyTimeoutName | undefined = name;
  for (let guard = 0; current && guard < 4; guard++) {
    const setting = proxy.timeouts[current];
    if (!setting) return undefined;
    if (setting.source.kind !== 'default') return { name: current, setting };
    const next: HaproxyTimeoutName | undefined = TIMEOUT_KNOBS.get(current)!.fallsBackTo;
    if (!next) return { name: current, setting };
    current = next;
  }
  return undefined;
}

function sideApplies(side: HaproxySide, proxy: Pick<HaproxyProxy, 'frontendSide' | 'backendSide'>): boolean {
  return side === 'both' || (side === 'frontend' ? proxy.frontendSide : proxy.backendSide);
}

function resolveProxy(
  section: HaproxySection, kind: HaproxyProxyKind, reach: HaproxyReach, defaults: HaproxyProxy | undefined,
  defaultsBy: HaproxyProxy['defaultsBy'], problems: Problem[],
): HaproxyProxy {
  const frontendSide = kind !== 'backend';
  const backendSide = kind !== 'frontend';
  const sides = { frontendSide, backendSide };
  const live = section.statements.filter((s) => !s.error && statementReach(s) !== 'never');
  const resolve = <T>(knob: HaproxyKnob<T>, inherited: HaproxySetting<T> | undefined): HaproxySetting<T> =>
    resolveSetting(knob, section, live, inherited, problems);
  const timeouts: HaproxyProxy['timeouts'] = {};
  for (const name of HAPROXY_TIMEOUT_NAMES) {
    const knob = TIMEOUT_KNOBS.get(name)!;
    if (sideApplies(knob.side, sides)) timeouts[name] = resolve(knob, defaults?.timeouts[name]);
  }
  const proxy: HaproxyProxy = {
    kind, section, defaultsBy, reach, frontendSide, backendSide, timeouts,
    httpConnectionMode: resolve(HTTP_MODE_KNOB, defaults?.httpConnectionMode),
    mode: resolve(MODE_KNOB, defaults?.mode),
    useBackends: [], acls: [], binds: [], servers: [], ignored: [], defaultServer: { check: false, backup: false, disabled: false, params: {} },
  };
  if (section.name) proxy.name = section.name.value;
  if (defaults) proxy.defaults = defaults;
  if (backendSide) {
    proxy.retries = resolve(RETRIES_KNOB, defaults?.retries);
    proxy.retryOn = resolve(RETRY_ON_KNOB, defaults?.retryOn);
    proxy.redispatch = resolve(REDISPATCH_KNOB, defaults?.redispatch);
    proxy.balance = resolve(BALANCE_KNOB, defaults?.balance);
  }
  if (frontendSide) proxy.defaultBackend = resolve(DEFAULT_BACKEND_KNOB, defaults?.defaultBackend);
  for (const statement of live) {
    const reason = ignoredReason(statement, sides, kind);
    if (reason) proxy.ignored.push({ statement, reason });
  }
  Object.assign(proxy, readRouting(section, live, kind, defaults?.defaultServer));
  return proxy;
}

/** The last statement of the section that sets the knob wins; otherwise the defaults section's value, otherwise HAProxy's default. */
function resolveSetting<T>(
  knob: HaproxyKnob<T>, section: HaproxySection, live: HaproxyStatement[], inherited: HaproxySetting<T> | undefined, problems: Problem[],
): HaproxySetting<T> {
  const fromDefaults: HaproxySetting<T> = inherited ? inheritedFrom(inherited) : { value: knob.defaultValue, text: knob.defaultText, source: { kind: 'default', factsRef: knob.factsRef } };
  let result = fromDefaults;
  for (const statement of live) {
    if (!knob.matches(statement)) continue;
    const read = knob.read(statement, result.value);
    const source: HaproxySource = { kind: 'set', statement, section };
    if (read.kind === 'reset') {
      result = { value: knob.defaultValue, text: knob.defaultText, source: { kind: 'default', factsRef: knob.factsRef } };
      continue;
    }
    if (read.kind === 'invalid') problems.push({ kind: 'syntax', message: read.message, span: read.valueSpan });
    const setting: HaproxySetting<T> = { text: read.text, source, valueSpan: read.valueSpan };
    if (read.kind === 'value') {
      setting.value = read.value;
      if (read.warning) setting.warning = read.warning;
    }
    else setting.unknown = read.kind;
    // A statement the linter cannot be sure HAProxy reads leaves the value unknown, never assumed either way.
    if (statementReach(statement) === 'conditional' && setting.unknown === undefined) {
      delete setting.value;
      setting.unknown = 'conditional';
    }
    result = setting;
  }
  return result;
}

/** A defaults section's setting as seen from a proxy that inherits it: the statement that set it, and unknown when the defaults section itself is conditional. */
function inheritedFrom<T>(setting: HaproxySetting<T>): HaproxySetting<T> {
  if (setting.source.kind === 'default') return setting;
  const copy: HaproxySetting<T> = { ...setting, source: { kind: 'inherited', statement: setting.source.statement, section: setting.source.section } };
  if (statementReach(setting.source.section.header) === 'conditional' && copy.unknown === undefined) {
    delete copy.value;
    copy.unknown = 'conditional';
  }
  return copy;
}

/** Why HAProxy ignores a statement in this section (it warns "will be ignored because … has no … capability"). */
function ignoredReason(statement: HaproxyStatement, sides: { frontendSide: boolean; backendSide: boolean }, kind: HaproxyProxyKind): string | undefined {
  const knobs: Array<HaproxyKnob<unknown>> = [
    ...TIMEOUT_KNOBS.values(), RETRIES_KNOB, RETRY_ON_KNOB, REDISPATCH_KNOB, BALANCE_KNOB, DEFAULT_BACKEND_KNOB,
  ] as Array<HaproxyKnob<unknown>>;
  for (const knob of knobs) {
    if (knob.matches(statement) && !sideApplies(knob.side, sides)) {
      return `'${knob.key}' is a ${knob.side} setting: HAProxy ignores it in a ${kind}`;
    }
  }
  return undefined;
}
