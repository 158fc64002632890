// Words, related locations and edits for chain rules: where a hop's value comes from, the other hops, and how to change a value in its own file.
import { spokenDuration, type Chain, type Hop, type HopTimeout, type Related, type Span, type TextEdit, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import type { FrameworkServer } from '../../server/src/engine/inputs/ts/api.js';
import { haproxyDuration, insertHaproxyStatementEdit, replaceHaproxyValueEdit } from './haproxy.js';
import { insertStatementEdit, replaceArgsEdit } from './nginx-edits.js';
import { headlineName, placeOf } from './places.js';
import { annotationQuoteStyle, insertAnnotationEdit, renderScalar } from './yaml-edits.js';

/** "set at nginx/api.conf:12", "inherited from http at nginx.conf:9", "nginx default (timeout-facts §1.3)", "env LLM_TIMEOUT_MS from k8s/app.yaml:30". */
export function describeTimeout(model: WorkspaceModel, timeout: HopTimeout): string {
  const described = describeSource(model, timeout);
  return timeout.note ? `${described}; ${timeout.note}` : described;
}

function describeSource(model: WorkspaceModel, timeout: HopTimeout): string {
  const place = (span: Span) => placeOf(model, span);
  switch (timeout.source) {
    case 'set':
      return timeout.span ? `set at ${place(timeout.span)}` : 'set';
    case 'inherited':
      return timeout.span ? `inherited from ${place(timeout.span)}` : 'inherited';
    case 'default':
      return `default${timeout.factsRef ? `, timeout-facts ${timeout.factsRef}` : ''}`;
    case 'env': {
      const env = timeout.env;
      if (!env) return 'from the environment';
      if (env.choice) return `${env.choice}${env.valueSpan ? ` at ${place(env.valueSpan)}` : ''}`;
      if (env.fallback) return `$${env.name} is not set, so the code's default${env.valueSpan ? ` at ${place(env.valueSpan)}` : ''} applies`;
      return `$${env.name}${env.valueSpan ? ` = ${timeout.text} at ${place(env.valueSpan)}` : env.declaredAt ? ` declared at ${place(env.declaredAt)}` : ''}`;
    }
  }
}

/** The number an environment test picked, when it is written in the test itself (never a shared constant it names). */
function choiceLiteral(timeout: HopTimeout): Span | undefined {
  const choice = timeout.tsValue;
  const picked = timeout.env?.valueSpan;
  if (choice?.kind !== 'env-choice' || !picked) return undefined;
  const branch = [choice.then, choice.else].find((b) => b.kind === 'number' && b.span.file === picked.file && b.span.start === picked.start);
  return branch?.span;
}

/** `600 s` or `3 × 600 s`, with the knob: `timeout 600 s × 3 attempts`. */
export function valueText(ms: number): string {
  return spokenDuration(ms);
}

/**
 * A hop in a headline: its short name (util/places.ts headlineName); an outbound call behind the hop
 * a headline is about is what it calls, "the LLM call" or the host it calls (the library, method and
 * path stay in the details).
 */
export function hopHeadlineName(hop: Hop, behind = false): string {
  if (hop.kind === 'outbound-call' && hop.llm) return 'the LLM call';
  const name = headlineName(hop.label);
  // `fetch POST http://api:8080/x` is named by its URL; `fetch POST call` (URL unknown) keeps its library and method.
  return behind && hop.kind === 'outbound-call' ? name.replace(/^\S+ [A-Z]+ (?=\S)(?!call$)/, '') : name;
}

/** Related locations for every hop of the chain except the ones the message already names by span. */
export function chainRelated(model: WorkspaceModel, chain: Chain, except: readonly Hop[]): Related[] {
  const related: Related[] = [];
  chain.hops.forEach((hop, index) => {
    if (except.includes(hop)) return;
    related.push({ span: hop.span, message: `hop ${index + 1} of ${chain.hops.length}: ${hop.label}` });
  });
  // Where an inferred link rests on code elsewhere (a mount prefix, a re-exporting module), point there too.
  for (const hop of chain.hops) {
    for (const evidence of hop.evidence ?? []) if (evidence.span) related.push({ span: evidence.span, message: `${hop.label} linked by ${evidence.text}` });
  }
  void model;
  return related;
}

/** One line for the chain: `client → nginx location /api/ → Service default/chat-api → … → openai chat.completions.create`. */
export function chainText(chain: Chain): string {
  return chain.hops.map((h) => h.label).join(' → ');
}

/** Rounds a budget up to whole seconds with at least 10 % (and 5 s) of headroom. */
export function raisedSeconds(ms: number): number {
  return Math.ceil((ms + Math.max(ms * 0.1, 5000)) / 1000 / 5) * 5;
}

/**
 * An edit that sets `timeout` to `seconds` where it lives: an nginx directive (replaced when set
 * in this block, otherwise added to the location so other locations keep theirs), an
 * ingress-nginx annotation, a YAML duration, a number in code, or an environment value in a manifest.
 */
export function setTimeoutEdit(model: WorkspaceModel, hop: Hop, timeout: HopTimeout, ms: number): TextEdit | undefined {
  const ref = hop.ref;
  if (ref.kind === 'nginx') {
    const seconds = `${Math.ceil(ms / 1000)}s`;
    const directive = ref.location.statements.find((d) => d.name === timeout.knob);
    if (directive && timeout.source === 'set') return replaceArgsEdit(directive, seconds);
    return insertStatementEdit(model, ref.location, `${timeout.knob} ${seconds};`);
  }
  if (ref.kind === 'ingress') {
    // Kong reads its Service annotations as integer milliseconds (facts §8).
    if (timeout.knob.startsWith('konghq.com/')) return timeout.source === 'set' && timeout.span ? replaceScalarAt(model, timeout.span, String(Math.round(ms)), true) : undefined;
    // A KongIngress `proxy` value is a YAML integer of milliseconds (the CRD refuses a string).
    if (timeout.knob.startsWith('KongIngress ')) return timeout.source === 'set' && timeout.span ? replaceScalarAt(model, timeout.span, String(Math.round(ms)), false) : undefined;
    const seconds = String(Math.ceil(ms / 1000));
    const source = model.sources.get(ref.ingress.object.file);
    if (!source) return undefined;
    if (timeout.source === 'set' && timeout.span) return replaceScalarAt(model, timeout.span, seconds, true);
    if (!timeout.knob.startsWith('proxy-')) return undefined;
    const key = `${model.k8s.ingressNginxAnnotationPrefix}/${timeout.knob}`;
    return insertAnnotationEdit(source, ref.ingress.object, key, renderScalar(seconds, annotationQuoteStyle(source, ref.ingress.object)));
  }
  if (ref.kind === 'haproxy') {
    // A value set in this section is replaced; one from a defaults section (shared by other proxies) is overridden here.
    const section = timeout.knob === 'timeout client' || timeout.knob === 'timeout http-request' ? ref.route.frontend.section : ref.backend.section;
    const value = haproxyDuration(ms);
    if (timeout.source === 'set' && timeout.span) return replaceHaproxyValueEdit(model, timeout.span, value);
    return insertHaproxyStatementEdit(model, section, `${timeout.knob} ${value}`);
  }
  if (ref.kind === 'traefik' || ref.kind === 'kong') return writtenValueEdit(model, timeout, ref.kind, ms);
  if (ref.kind === 'gateway-route' || ref.kind === 'virtual-service') {
    if (timeout.source !== 'set' || !timeout.span) return undefined;
    return replaceScalarAt(model, timeout.span, `${Math.ceil(ms / 1000)}s`, false);
  }
  if (ref.kind === 'framework-server') return frameworkServerKeepAliveEdit(model, ref.server, timeout, ms);
  if (ref.kind === 'ts-call' || ref.kind === 'ts-server') {
    if (timeout.source === 'env' && timeout.env && !timeout.env.fallback && !timeout.env.choice && timeout.env.valueSpan && timeout.ms !== undefined) {
      // The manifest holds the number the code reads: keep its unit (the code may scale it).
      const scale = timeout.ms / Number(timeout.text);
      if (!Number.isFinite(scale) || scale <= 0) return undefined;
      return replaceScalarAt(model, timeout.env.valueSpan, String(Math.round(ms / scale)), true);
    }
    // The code's own number: a default the environment left in place, or the branch an environment test picked.
    const literal = timeout.source === 'env' && timeout.env?.choice ? choiceLiteral(timeout) : timeout.source === 'env' && timeout.env?.fallback ? timeout.env.valueSpan : timeout.tsValue?.kind === 'number' ? timeout.tsValue.span : undefined;
    if (!literal || timeout.ms === undefined) return undefined;
    const source = model.sources.get(literal.file);
    const written = source?.text.slice(literal.start, literal.end) ?? '';
    if (!/^[\d_]+$/.test(written)) return undefined;
    return { file: literal.file, start: literal.start, end: literal.end, newText: groupDigits(Math.round(ms)) };
  }
  return undefined;
}

/**
 * A Traefik or Kong value replaced where it is written (a YAML or TOML value, a compose label): its
 * span holds the value without quotes. Kong writes integer milliseconds; Traefik a Go duration, or
 * bare seconds where the value was bare digits. A default has no place to edit.
 */
function writtenValueEdit(model: WorkspaceModel, timeout: HopTimeout, kind: 'traefik' | 'kong', ms: number): TextEdit | undefined {
  const span = timeout.span;
  if (timeout.source === 'default' || !span || (timeout.ms === undefined && !timeout.disabled)) return undefined;
  const written = model.sources.get(span.file)?.text.slice(span.start, span.end);
  if (written === undefined) return undefined;
  const seconds = Math.ceil(ms / 1000);
  const newText = kind === 'kong' ? String(Math.round(ms)) : /^\d+$/.test(written.trim()) ? String(seconds) : `${seconds}s`;
  return { file: span.file, start: span.start, end: span.end, newText };
}

/**
 * The keep-alive of the server a framework runs: the `--keepAliveTimeout` value written on `next
 * start`, the variable where a manifest gives it (KEEP_ALIVE_TIMEOUT: milliseconds for Next's
 * standalone server, whole seconds rounded up for adapter-node), or the flag added to the `next
 * start` script (whole milliseconds: the flag takes no unit and no digit separators).
 */
function frameworkServerKeepAliveEdit(model: WorkspaceModel, server: FrameworkServer, timeout: HopTimeout, ms: number): TextEdit | undefined {
  const value = String(Math.round(ms));
  if (timeout.source === 'set' && timeout.span) {
    const written = model.sources.get(timeout.span.file)?.text.slice(timeout.span.start, timeout.span.end);
    return written !== undefined && /^\d+$/.test(written) ? { file: timeout.span.file, start: timeout.span.start, end: timeout.span.end, newText: value } : undefined;
  }
  if (timeout.source === 'env') {
    const inUnit = server.keepAliveEnv?.unit === 's' ? String(Math.ceil(ms / 1000)) : value;
    return timeout.env?.valueSpan ? replaceScalarAt(model, timeout.env.valueSpan, inUnit, true) : undefined;
  }
  if (!server.script || !model.sources.has(server.manifest)) return undefined;
  return { file: server.manifest, start: server.script.commandEnd, end: server.script.commandEnd, newText: ` --keepAliveTimeout ${value}` };
}

/** Replaces a YAML scalar's text at `span`, keeping its quotes; `mustBeString` quotes a plain number that has to stay a string. */
function replaceScalarAt(model: WorkspaceModel, span: Span, value: string, mustBeString: boolean): TextEdit | undefined {
  const source = model.sources.get(span.file);
  if (!source) return undefined;
  const written = source.text.slice(span.start, span.end);
  const quote = written.startsWith('"') ? 'double' : written.startsWith('\'') ? 'single' : undefined;
  if (/^[|>]/.test(written)) return undefined;
  const newText = quote ? renderScalar(value, quote) : mustBeString && /^\d+$/.test(value) && written !== '' && !/^\d+$/.test(written) ? renderScalar(value, 'double') : value;
  return { file: span.file, start: span.start, end: span.end, newText };
}

/** 600000 → `600_000`, the way code usually writes milliseconds. */
export function groupDigits(n: number): string {
  const text = String(n);
  return text.length <= 4 ? text : text.replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}
