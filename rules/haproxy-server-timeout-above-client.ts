// Reports a HAProxy backend whose `timeout server` is longer than the `timeout client` of a frontend that sends it requests.
import { defineRule, spokenDuration, type Fix, type Related, type WorkspaceModel } from '../server/src/engine/rule-api.js';
import { frontendsOf, routesOf, type HaproxySection, type HaproxySetting } from '../server/src/engine/inputs/haproxy/api.js';
import { describeHaproxySetting, haproxyDuration, insertHaproxyStatementEdit, replaceHaproxyValueEdit } from './util/haproxy.js';

export default defineRule({
  id: 'haproxy-server-timeout-above-client',
  description: 'A HAProxy `timeout server` must not be longer than the `timeout client` of the frontends in front of it.',
  defaultSeverity: 'warning',
  fixable: 'sometimes',
  inputs: ['haproxy'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    tcpClientCutsFirst:
      'timeout server {serverValue} outlasts timeout client {clientValue} of {frontend}. In TCP mode both sides wait while the server works, so the connection is cut after {clientValue} and the longer server timeout never applies (server: {backend}, {serverSource}; client: {clientSource}).',
    httpClientCutsFirst:
      'timeout server {serverValue} outlasts timeout client {clientValue} of {frontend}. A client that is slow to send its request or to read the response, and any tunnel without timeout tunnel, is cut after {clientValue} (server: {backend}, {serverSource}; client: {clientSource}).',
  },
  check(ctx) {
    const reported = new Set<string>();
    for (const model of ctx.model.haproxy) {
      for (const frontend of frontendsOf(model)) {
        for (const route of routesOf(model, frontend)) {
          const backend = route.backend;
          const server = backend?.timeouts.server;
          const client = frontend.timeouts.client;
          // Only known, finite values compare; no client timeout at all is "missing", not "shorter".
          if (!backend || typeof server?.value !== 'number' || typeof client?.value !== 'number' || server.value <= client.value) continue;
          const key = `${spanKey(server)}|${spanKey(client)}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const serverSpan = server.valueSpan ?? backend.section.header.span;
          const related: Related[] = [
            { span: client.valueSpan ?? frontend.section.header.span, message: `timeout client ${client.text} of ${frontend.kind} ${frontend.name ?? '?'}` },
            { span: route.span, message: `${frontend.kind} ${frontend.name ?? '?'} sends requests to backend ${backend.name ?? '?'}` },
          ];
          const tcp = frontend.mode.value === 'tcp' && backend.mode.value === 'tcp';
          ctx.report({
            messageId: tcp ? 'tcpClientCutsFirst' : 'httpClientCutsFirst',
            data: {
              backend: `${backend.kind} ${backend.name ?? '?'}`,
              frontend: `${frontend.kind} ${frontend.name ?? '?'}`,
              serverValue: spokenDuration(server.value),
              serverMs: server.value,
              serverSource: describeHaproxySetting(ctx.model, server),
              clientValue: spokenDuration(client.value),
              clientMs: client.value,
              clientSource: describeHaproxySetting(ctx.model, client),
              mode: tcp ? 'tcp' : 'http',
            },
            span: serverSpan,
            related,
            fixes: raiseClient(ctx.model, frontend.section, client, server.value, `${frontend.kind} ${frontend.name ?? '?'}`),
          });
        }
      }
    }
  },
});

/**
 * Raises the frontend's `timeout client` to the server's value: in place when the frontend sets
 * it, otherwise in the frontend (a defaults section is shared by other proxies).
 */
function raiseClient(model: WorkspaceModel, section: HaproxySection, client: HaproxySetting<number | null>, ms: number, label: string): Fix[] {
  const value = haproxyDuration(ms);
  const edit = client.source.kind === 'set' && client.source.section === section && client.valueSpan
    ? replaceHaproxyValueEdit(model, client.valueSpan, value)
    : insertHaproxyStatementEdit(model, section, `timeout client ${value}`);
  return edit ? [{ title: `Set timeout client of ${label} to ${value} (unsafe: holds idle clients longer)`, safety: 'unsafe', edits: [edit] }] : [];
}

function spanKey(setting: HaproxySetting<unknown>): string {
  const span = setting.valueSpan;
  return span ? `${span.file}:${span.start}` : 'default';
}
