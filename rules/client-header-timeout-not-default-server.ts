// Reports client_header_timeout in a server that is not the default server of its port: nginx reads every request header on that port with the default server's value.
import { defineRule } from '../server/src/engine/rule-api.js';
import { blockLabel, defaultServerOf, describeSource, effectiveValue, firstDirective, listenPortsOf, type NginxBlock } from '../server/src/engine/inputs/nginx/api.js';
import { placeOf } from './util/places.js';

export default defineRule<Record<string, never>>({
  id: 'client-header-timeout-not-default-server',
  description: '`client_header_timeout` set in a server that is not the default server of its port has no effect.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['nginx'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    ignored:
      'client_header_timeout {value} never applies; port {port} uses {defaultValue}. It is set in {server}, but nginx reads request headers before it picks a server, with the value of the default server {defaultServer} ({defaultSource}). Set it there or at http level.',
  },
  check(ctx) {
    for (const model of ctx.model.nginx) {
      for (const server of model.servers) {
        if (server.parent !== undefined && server.parent.kind !== 'http') continue;
        const directive = firstDirective(server, 'client_header_timeout');
        // With TLS, SNI can move the connection to the named server during the handshake (facts §1.2, not measured): no claim then.
        if (!directive || usesTls(server)) continue;
        const own = effectiveValue(server, 'client_header_timeout');
        for (const { port } of listenPortsOf(server)) {
          const base = defaultServerOf(model, port);
          if (!base || base === server) continue;
          const applied = effectiveValue(base, 'client_header_timeout');
          if (!own || !applied || own.ms === applied.ms) continue;
          ctx.report({
            messageId: 'ignored',
            data: {
              value: directive.args.map((a) => a.value).join(' '),
              server: serverWords(server),
              port,
              defaultServer: serverWords(base),
              defaultValue: applied.text,
              defaultSource: describeSource(applied, (span) => placeOf(ctx.model, span)),
            },
            span: directive.nameSpan,
            related: [{ span: base.directive?.nameSpan ?? directive.span, message: `default server for port ${port}: client_header_timeout ${applied.text}` }],
          });
          break;
        }
      }
    }
  },
});

function usesTls(server: NginxBlock): boolean {
  return server.statements.some((d) => d.name === 'listen' && d.args.some((a) => a.value === 'ssl' || a.value === 'quic' || a.value === 'http2'));
}

function serverWords(server: NginxBlock): string {
  return server.serverNames.length > 0 ? `server ${server.serverNames.join(' ')}` : blockLabel(server);
}
