// Reports (as information) a database client with no query bound in a service whose every route sits behind a gateway that gives up.
import { type FileId, defineRule } from '../server/src/engine/rule-api.js';
import { CACHE_LIBRARIES, type DbClient, QUERY_BOUND_ROLES } from '../server/src/engine/inputs/ts/api.js';
import { valueText } from './util/chain-hops.js';
import { budgetWords, clientLabel, dbPathsOf, resolveDbTimeouts, type DbPath } from './util/db-chains.js';
import { queryBoundFixes } from './util/db-edits.js';
import { placeOf } from './util/places.js';

export default defineRule({
  id: 'db-client-without-query-timeout',
  description: 'A database client of a service whose every route has a finite gateway timeout should bound its queries (statement_timeout, timeoutMS or socketTimeoutMS).',
  defaultSeverity: 'info',
  fixable: 'sometimes',
  inputs: ['nginx', 'k8s', 'ts', 'postgres'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    serverBoundAbove:
      '{client}: server-side {boundKnob} {boundValue} outlasts the gateway ({gatewayValue}). That gateway, {gateway}, waits longest in front of {service}; the bound is {boundOrigin} ({boundPlace}) and the client sets none, so a query that hangs outlives every request that started it.',
    noBound:
      '{client} has no query timeout; its gateways give up after at most {gatewayValue}. {boundKnob} is not set, yet every route of {service} sits behind a gateway that gives up (the longest: {gateway}); a query that hangs outlives every request that started it.',
    boundDisabled:
      '{knob}: 0 switches off the query timeout of {client}; its gateways give up after at most {gatewayValue}. Every route of {service} sits behind a gateway that gives up (the longest: {gateway}); a query that hangs outlives every request that started it.',
  },
  check(ctx) {
    const byPackage = new Map<string, DbPath[]>();
    for (const path of dbPathsOf(ctx.model)) {
      const dir = path.handler.ref.pkg.dir;
      byPackage.set(dir, [...(byPackage.get(dir) ?? []), path]);
    }
    for (const paths of byPackage.values()) {
      const pkg = paths[0]!.handler.ref.pkg;
      const longest = everyRouteBounded(ctx.model.ts.files, pkg.files, paths);
      if (!longest) continue;
      // Clients a route's queries reach are db-query-outlives-request's to report, with the query.
      const linked = new Set(paths.flatMap((p) => p.uses.map((u) => u.client)));
      for (const file of pkg.files) {
        for (const client of ctx.model.ts.files.get(file)?.db?.clients ?? []) {
          if (CACHE_LIBRARIES.has(client.library) || linked.has(client) || client.optionsUnknown) continue;
          const bounds = resolveDbTimeouts(ctx.model, client, paths[0]!.env).filter((t) => QUERY_BOUND_ROLES.has(t.role) && !t.clientOnly);
          if (bounds.length === 0 || bounds.some((t) => (t.ms !== undefined && t.ms > 0 && t.via !== 'server') || (t.ms === undefined && !t.disabled && t.source !== 'none'))) continue;
          // A server-side bound alone (the client sets none) keeps queries inside the requests only when it is no longer than the gateways wait.
          const server = bounds.filter((t) => t.via === 'server' && t.ms !== undefined && t.ms > 0).sort((a, b) => a.ms! - b.ms!)[0];
          if (server && server.ms! <= longest.ms) continue;
          const disabled = bounds.find((t) => t.disabled && t.span && ctx.model.sources.has(t.span.file));
          const data = { client: `${clientLabel(client)}${client.variable ? ` ${client.variable}` : ''}`, service: pkg.name ?? (pkg.dir || 'the workspace root'), ...budgetWords(ctx.model, longest), gatewayMs: longest.ms, gatewayValue: valueText(longest.ms) };
          if (server) {
            ctx.report({
              messageId: 'serverBoundAbove',
              data: { ...data, boundKnob: server.option, boundValue: server.text, boundMs: server.ms!, boundOrigin: server.serverOrigin ?? server.option, boundPlace: placeOf(ctx.model, server.span!) },
              span: client.span,
              related: [{ span: server.span!, message: `${server.serverOrigin ?? server.option} ${server.text}` }, { span: longest.timeout.span ?? longest.hop.span, message: `${longest.hop.label}: ${longest.timeout.knob} ${valueText(longest.ms)}` }],
              fixes: queryBoundFixes(ctx.model, client, longest.ms),
            });
            continue;
          }
          ctx.report({
            messageId: disabled ? 'boundDisabled' : 'noBound',
            data: disabled ? { ...data, knob: disabled.option } : { ...data, boundKnob: boundKnob(client) },
            span: disabled?.span ?? client.span,
            related: [{ span: longest.timeout.span ?? longest.hop.span, message: `${longest.hop.label}: ${longest.timeout.knob} ${valueText(longest.ms)}` }, ...(disabled ? [{ span: client.span, message: `${clientLabel(client)} created here` }] : [])],
            fixes: disabled ? [] : queryBoundFixes(ctx.model, client, longest.ms),
          });
        }
      }
    }
  },
});

/** The largest budget in front of the package's routes, when every route of the package is reached by chains and each of them has one. */
function everyRouteBounded(files: ReadonlyMap<FileId, { routes: Array<{ span: { start: number } }> }>, packageFiles: readonly FileId[], paths: DbPath[]): DbPath['budget'] {
  let longest: DbPath['budget'];
  for (const file of packageFiles) {
    for (const route of files.get(file)?.routes ?? []) {
      const reaching = paths.filter((p) => p.handler.ref.file === file && p.handler.ref.route.span.start === route.span.start);
      if (reaching.length === 0 || reaching.some((p) => !p.budget)) return undefined;
      for (const p of reaching) if (!longest || p.budget!.ms > longest.ms) longest = p.budget;
    }
  }
  return longest;
}

function boundKnob(client: DbClient): string {
  return client.library === 'mongodb' || client.library === 'mongoose' ? 'timeoutMS or socketTimeoutMS' : client.library === 'prisma' ? 'socket_timeout' : client.library === 'mysql2' ? 'a per-query timeout' : 'statement_timeout';
}
