// Reports ingress-nginx Ingresses for LLM or streaming routes that keep the controller's default (or a low ConfigMap) proxy-read-timeout.
import { defineRule, type Fix, type Related, type ScalarFact, type Span, type TextEdit } from '../server/src/engine/rule-api.js';
import type { IngressFacts, IngressPathFacts } from '../server/src/engine/inputs/k8s/api.js';
import { controllerEvidence, describeIngressNginxSource, hasIngressNginxEvidence, ingressNginxSourceRelated } from './util/ingress-controllers.js';
import { matchesAnyPattern } from './util/llm-routes.js';
import { llmCallBehind } from './util/chain-llm.js';
import { streamBehind } from './util/chain-streaming.js';
import { annotationQuoteStyle, insertAnnotationEdit, renderScalar, replaceScalarEdit } from './util/yaml-edits.js';

interface Options {
  thresholdSeconds: number;
  fixValue: string;
}

interface RouteMatch {
  /** `api.example.com/v1/chat/completions`. */
  route: string;
  /** What matched, for the message: `path /v1/chat/completions`, `host llm.example.com`, `backend Service vllm`. */
  evidence: string;
  span: Span;
  /** The LLM call and handler, when the route was recognised through the code behind it. */
  related?: Related[];
  /** True when the handler streams the model's answer: the read timeout is then an idle limit between chunks. */
  stream?: boolean;
}

export default defineRule<Options>({
  id: 'llm-ingress-default-timeout',
  description: 'An ingress-nginx Ingress for LLM or streaming routes must not keep the 60 s default proxy-read-timeout.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['k8s', 'ts'],
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        thresholdSeconds: { type: 'integer', minimum: 0, description: 'Read timeouts at or below this many seconds are reported on LLM routes.' },
        fixValue: { type: 'string', pattern: '^[0-9]+$', description: 'The proxy-read-timeout in whole seconds that the quick fix writes.' },
      },
    },
    defaults: { thresholdSeconds: 60, fixValue: '300' },
  },
  messages: {
    shortRead:
      'ingress-nginx cuts LLM route {routePath} after {value} s of silence. proxy-read-timeout for Ingress {ingress} ({route}) is {value} s from {source} ({evidence}); a model that is silent for longer than that gets a 504 from the controller.',
    shortReadStream:
      'ingress-nginx cuts LLM stream {routePath} after {value} s of silence. proxy-read-timeout for Ingress {ingress} ({route}) is {value} s from {source} ({evidence}). It is an idle limit between chunks: a first token slower than that (a long prompt, tool calls, a busy provider) ends the request with a 504, or with an empty body once the headers are sent, and a pause that long mid-answer cuts the stream short.',
  },
  check(ctx) {
    const { thresholdSeconds, fixValue } = ctx.options;
    const prefix = ctx.model.k8s.ingressNginxAnnotationPrefix;
    const llm = ctx.model.settings.llm;
    for (const ingress of ctx.model.k8s.ingresses) {
      const value = ingress.ingressNginx?.['proxy-read-timeout'];
      if (!value || value.unresolved || value.ms === undefined || value.ms > thresholdSeconds * 1000) continue;
      if (!servedByIngressNginx(ingress)) continue;
      // A read-timeout annotation the controller ignores ("300s", nginx.org/…, another prefix) has a
      // finding and fix of its own; adding a second one here would write the key twice.
      if (value.ignoredAnnotations.length > 0 || ingress.timeoutAnnotations.some((a) => /read/.test(a.knob) && !(a.vendor === 'ingress-nginx' && a.recognition === 'recognized' && !a.prefixMismatch))) continue;
      const match = matchRoute(ingress) ?? matchByCode(ingress);
      if (!match) continue;
      const related: Related[] = ingressNginxSourceRelated(value, 'proxy-read-timeout');
      if (match.related) related.push(...match.related);
      const setHere = value.source.kind === 'annotation' ? ingress.annotations.find((a) => a.valueSpan.start === value.source.span?.start) : undefined;
      if (setHere) related.push({ span: match.span, message: `LLM route ${match.route}` });
      const fix = setHere?.value ? raiseFix(setHere.value) : addFix(ingress);
      ctx.report({
        messageId: match.stream ? 'shortReadStream' : 'shortRead',
        data: {
          route: match.route,
          routePath: match.route.replace(/^[^/]*/, '') || '/',
          evidence: match.evidence,
          ingress: ingress.object.name?.text ?? '',
          value: value.text,
          valueMs: value.ms,
          source: describeIngressNginxSource(ctx.model, value),
          sourceKind: value.source.kind,
        },
        span: setHere ? setHere.valueSpan : match.span,
        related,
        fixes: fix ? [fix] : [],
      });
    }

    function servedByIngressNginx(ingress: IngressFacts): boolean {
      if (ingress.controller === 'unknown') return hasIngressNginxEvidence(ctx.model, ingress);
      if (ingress.controller !== 'ingress-nginx') return false;
      const evidence = controllerEvidence(ctx.model, ingress);
      // Class `nginx` with only nginx.org annotations and nothing pointing at ingress-nginx is probably NGINX Inc's.
      const nginxIncHints = ingress.timeoutAnnotations.some((a) => a.vendor === 'nginx-inc');
      return evidence.certain || !evidence.ambiguous || !nginxIncHints || hasIngressNginxEvidence(ctx.model, ingress);
    }

    function matchRoute(ingress: IngressFacts): RouteMatch | undefined {
      const entries: Array<{ host?: ScalarFact; path?: ScalarFact; serviceName?: ScalarFact; span: Span }> = [
        ...ingress.paths.map((p: IngressPathFacts) => ({ ...pick(p), span: p.span })),
        ...(ingress.defaultBackend ? [{ serviceName: ingress.defaultBackend.serviceName, span: ingress.defaultBackend.span }] : []),
      ];
      for (const entry of entries) {
        const route = `${entry.host?.text ?? ''}${entry.path?.text ?? '/'}`;
        if (entry.path && !entry.path.unresolved && matchesAnyPattern(llm.pathPatterns, entry.path.text)) return { route, evidence: `path ${entry.path.text}`, span: entry.path.span };
      }
      for (const entry of entries) {
        const route = `${entry.host?.text ?? ''}${entry.path?.text ?? '/'}`;
        const subdomain = entry.host ? entry.host.text.split('.').slice(0, -2).join('.') : '';
        if (entry.host && subdomain && matchesAnyPattern(llm.upstreamPatterns, subdomain)) return { route, evidence: `host ${entry.host.text}`, span: entry.host.span };
        const name = entry.serviceName;
        if (name && !name.unresolved && matchesAnyPattern(llm.upstreamPatterns, name.text)) return { route, evidence: `backend Service ${name.text}`, span: entry.path?.span ?? name.span };
      }
      return undefined;
    }

    /** An Ingress path whose backend's handler calls an LLM SDK (through the chain model). */
    function matchByCode(ingress: IngressFacts): RouteMatch | undefined {
      for (const path of ingress.paths) {
        const behind = llmCallBehind(ctx.model, path);
        if (behind) return { route: `${path.host?.text ?? ''}${path.path?.text ?? '/'}`, evidence: behind.evidence, span: path.path?.span ?? path.span, related: behind.related };
      }
      // A handler that streams a model's answer (a streamed SDK call) makes the path an LLM route too.
      for (const path of ingress.paths) {
        const stream = streamBehind(ctx.model, path);
        if (stream?.llm) return { route: `${path.host?.text ?? ''}${path.path?.text ?? '/'}`, evidence: stream.evidence, span: path.path?.span ?? path.span, related: stream.related, stream: true };
      }
      return undefined;
    }

    function raiseFix(scalar: ScalarFact): Fix | undefined {
      const edit = replaceScalarEdit(scalar, fixValue, { mustBeString: true });
      return edit ? { title: `Raise proxy-read-timeout to "${fixValue}" (unsafe: holds connections longer)`, safety: 'unsafe', edits: [edit] } : undefined;
    }

    function addFix(ingress: IngressFacts): Fix | undefined {
      const source = ctx.model.sources.get(ingress.object.file);
      if (!source) return undefined;
      const key = `${prefix}/proxy-read-timeout`;
      const edit: TextEdit | undefined = insertAnnotationEdit(source, ingress.object, key, renderScalar(fixValue, annotationQuoteStyle(source, ingress.object)));
      return edit ? { title: `Add ${key}: "${fixValue}" to Ingress ${ingress.object.name?.text ?? ''} (unsafe: holds connections longer)`, safety: 'unsafe', edits: [edit] } : undefined;
    }
  },
});

function pick(p: IngressPathFacts): { host?: ScalarFact; path?: ScalarFact; serviceName?: ScalarFact } {
  const out: { host?: ScalarFact; path?: ScalarFact; serviceName?: ScalarFact } = {};
  if (p.host) out.host = p.host;
  if (p.path) out.path = p.path;
  if (p.backend.serviceName) out.serviceName = p.backend.serviceName;
  return out;
}

