// Reports upstream connect timeouts above what connecting can take: past the Linux SYN-retry budget they cannot take effect, past nginx's documented 75 s they are a hint that a read timeout was meant.
import { defineRule, parseNginxTime } from '../server/src/engine/rule-api.js';
import { forEachStatementNamed } from './util/nginx-walk.js';
import { replaceArgEdit } from './util/nginx-edits.js';
import { replaceScalarEdit } from './util/yaml-edits.js';

const CONNECT_TIMEOUTS = new Set(['proxy_connect_timeout', 'grpc_connect_timeout', 'fastcgi_connect_timeout', 'uwsgi_connect_timeout']);
/** nginx's documented "usually cannot exceed" value (facts §1.3). */
const DOCUMENTED_MS = 75_000;

interface Options {
  /**
   * When the kernel gives up connecting: with `net.ipv4.tcp_syn_retries` 6 (Linux's default) about
   * 127 s with classic backoff, 131 s with linear timeouts; 134 s measured (facts §1.3).
   */
  kernelLimitSeconds: number;
}

export default defineRule<Options>({
  id: 'connect-timeout-above-75s',
  description: 'An nginx connect timeout above 75 s is longer than connecting takes: past the kernel SYN-retry budget (about 127 s on Linux) it cannot take effect.',
  defaultSeverity: 'warning',
  fixable: 'always',
  inputs: ['nginx', 'k8s'],
  // nginx directives and Ingress annotations are checked apart: the editor runs it in each input's own unit.
  perInput: true,
  options: {
    schema: { type: 'object', additionalProperties: false, properties: { kernelLimitSeconds: { type: 'number', minimum: 76, description: 'When the kernel gives up connecting, in seconds (127 with Linux defaults).' } } },
    defaults: { kernelLimitSeconds: 127 },
  },
  messages: {
    aboveKernelLimit:
      '{directive} {value}: Linux gives up connecting after about {kernelLimit}. The kernel stops retrying the connection (net.ipv4.tcp_syn_retries 6), and the client then gets 502 instead of 504.',
    aboveDocumentedLimit:
      '{directive} {value} is above the 75s nginx documents for connecting. Linux honours it (up to about {kernelLimit}), but a connect timeout this long usually means a read timeout was meant.',
  },
  check(ctx) {
    const options = ctx.options;
    const kernelLimitMs = options.kernelLimitSeconds * 1000;
    for (const model of ctx.model.nginx) {
      forEachStatementNamed(model, (name) => CONNECT_TIMEOUTS.has(name), (directive) => {
        if (directive.args.length !== 1) return;
        const arg = directive.args[0]!;
        const parsed = parseNginxTime(arg.value, 'ms');
        if (!parsed.ok || parsed.ms <= DOCUMENTED_MS) return;
        ctx.report({
          messageId: parsed.ms > kernelLimitMs ? 'aboveKernelLimit' : 'aboveDocumentedLimit',
          data: { directive: directive.name, value: arg.value, valueMs: parsed.ms, kernelLimit: `${options.kernelLimitSeconds} s` },
          span: arg.span,
          fixes: [{ title: `Lower ${directive.name} to 75s (unsafe: slow connects fail sooner)`, safety: 'unsafe', edits: [replaceArgEdit(arg, '75s')] }],
        });
      });
    }
    // ingress-nginx writes its proxy-connect-timeout annotation into the location's proxy_connect_timeout (facts §2.2): the same limits apply.
    for (const ingress of ctx.model.k8s.ingresses) {
      if (!ingress.ingressNginx) continue;
      for (const item of ingress.timeoutAnnotations) {
        if (item.vendor !== 'ingress-nginx' || item.recognition !== 'recognized' || item.prefixMismatch || item.knob !== 'proxy-connect-timeout') continue;
        const duration = item.duration;
        if (!duration || duration.unresolved || duration.invalid !== undefined || duration.ms === undefined || duration.ms <= DOCUMENTED_MS) continue;
        const value = item.annotation.value;
        const edit = value ? replaceScalarEdit(value, '75', { mustBeString: true }) : undefined;
        ctx.report({
          messageId: duration.ms > kernelLimitMs ? 'aboveKernelLimit' : 'aboveDocumentedLimit',
          data: { directive: item.knob, value: `"${duration.text}"`, valueMs: duration.ms, kernelLimit: `${options.kernelLimitSeconds} s`, annotation: item.annotation.key },
          span: item.annotation.valueSpan,
          fixes: edit ? [{ title: `Lower ${item.annotation.key} to "75" (unsafe: slow connects fail sooner)`, safety: 'unsafe', edits: [edit] }] : [],
        });
      }
    }
  },
});
