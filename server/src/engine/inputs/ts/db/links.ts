// Follows a route handler to the database clients it uses (same-file functions, imported functions, imported clients and models), and resolves their timeouts in a chain's environment.
import type { FileId } from '../../../types.js';
import { NO_ENV, type EnvContext } from '../../../chain/environment.js';
import { resolveExportTarget, resolveImportedFunction, type TsFactsLookup } from '../resolve.js';
import type { TsFileFacts, TsFunction, TsImportRef, TsRoute } from '../types.js';
import { maskCredentials, postgresDurationMs, urlParameters } from './connection-string.js';
import { knobsOf } from './specs.js';
import { defaultOf, effectiveTimeouts } from './timeouts.js';
import type { DbClient, DbQuery, DbTimeout } from './types.js';
import type { DatabaseSettings } from '../../../database-settings.js';
import { withServerSettings, type ServerSettingNote } from './server-settings.js';

/** One database use reached from a handler: the query and the client it goes through, each with its file. */
export interface DbUse {
  query: DbQuery;
  queryFile: FileId;
  client: DbClient;
  clientFile: FileId;
  /** How the client was found when it lives in another module (`pool exported by src/db.ts`). */
  via?: string;
}

const MAX_DEPTH = 12;

/**
 * The database uses of a route's handlers and of every function they call, in this file and in
 * imported workspace modules. `packageFiles` are searched for the Mongoose connection that models use.
 */
export function dbUsesOfRoute(lookup: ReadonlyMap<FileId, TsFileFacts>, file: FileId, facts: TsFileFacts, route: TsRoute, packageFiles: readonly FileId[]): DbUse[] {
  const out: DbUse[] = [];
  const seen = new Set<string>();
  const visitFn = (f: FileId, ff: TsFileFacts, fn: TsFunction, depth: number) => {
    if (depth > MAX_DEPTH || seen.has(`${f}:${fn.id}`)) return;
    seen.add(`${f}:${fn.id}`);
    for (const query of ff.db?.queries ?? []) {
      if (query.functionId !== fn.id) continue;
      const target = resolveTarget(lookup, f, ff, query, packageFiles);
      if (target) out.push({ query, queryFile: f, ...target });
    }
    for (const id of fn.calleeIds) {
      const callee = ff.functions[id];
      if (callee) visitFn(f, ff, callee, depth + 1);
    }
    for (const ref of fn.importedCalls) visitImported(f, ref, depth);
  };
  const visitImported = (from: FileId, ref: TsImportRef, depth: number) => {
    const found = resolveImportedFunction(lookup, from, ref);
    if (found) visitFn(found.file, found.facts, found.fn, depth + 1);
    // `import * as users from './users'; users.find()` and `userRepo.find()` name a function one step further.
    else if (ref.path?.length === 1 && ref.name === '*') {
      const target = resolveExportTarget(lookup, from, { module: ref.module, name: ref.path[0]! });
      const targetFacts = target ? lookup.get(target.file) : undefined;
      const fnId = targetFacts?.exports.find((e) => e.name === target!.name)?.functionId;
      if (target && targetFacts && fnId !== undefined && targetFacts.functions[fnId]) visitFn(target.file, targetFacts, targetFacts.functions[fnId]!, depth + 1);
    }
  };
  for (const id of route.handlerIds) {
    const fn = facts.functions[id];
    if (fn) visitFn(file, facts, fn, 0);
  }
  for (const ref of route.importedCalls) visitImported(file, ref, 0);
  return out;
}

type Resolved = { client: DbClient; clientFile: FileId; via?: string };

function resolveTarget(lookup: TsFactsLookup & ReadonlyMap<FileId, TsFileFacts>, file: FileId, facts: TsFileFacts, query: DbQuery, packageFiles: readonly FileId[]): Resolved | undefined {
  const target = query.target;
  if (target.kind === 'client') {
    const client = facts.db?.clients[target.clientIndex];
    return client ? unwrapClient(lookup, { client, clientFile: file }) : undefined;
  }
  if (target.kind === 'import') {
    const found = resolveExportTarget(lookup, file, target.ref);
    const db = found ? lookup.get(found.file)?.db : undefined;
    if (!found || !db) return undefined;
    const client = db.clients.find((c) => c.exportedAs.includes(found.name));
    if (client) return unwrapClient(lookup, { client, clientFile: found.file, via: `${client.variable ?? client.constructorName} exported by ${found.file}` });
    if (!db.modelExports.includes(found.name)) return undefined;
  }
  // A Mongoose model uses the process-wide connection: the one `mongoose.connect` of the package.
  const connects = packageFiles.flatMap((f) => (lookup.get(f)?.db?.clients ?? []).filter((c) => c.constructorName === 'mongoose.connect').map((client) => ({ client, clientFile: f })));
  return connects.length === 1 ? { ...connects[0]!, via: `Mongoose model ${target.kind === 'mongoose-model' ? target.model : target.ref.name} on the connection of ${connects[0]!.clientFile}` } : undefined;
}

/**
 * A client that wraps another (`drizzle(pool)`) stands for the one it wraps: the wrapped client's
 * timeouts apply. A wrapped client that cannot be found leaves the wrapper (whose bounds are unknown).
 */
function unwrapClient(lookup: TsFactsLookup & ReadonlyMap<FileId, TsFileFacts>, resolved: Resolved): Resolved {
  let current = resolved;
  for (let depth = 0; current.client.wraps && depth < 4; depth++) {
    const wraps = current.client.wraps;
    const wrapper = `${current.client.constructorName}${current.client.variable ? ` ${current.client.variable}` : ''}`;
    let next: Resolved | undefined;
    if (wraps.kind === 'client') {
      const client = lookup.get(current.clientFile)?.db?.clients[wraps.clientIndex];
      if (client) next = { client, clientFile: current.clientFile };
    } else if (wraps.kind === 'import') {
      const found = resolveExportTarget(lookup, current.clientFile, wraps.ref);
      const client = found ? lookup.get(found.file)?.db?.clients.find((c) => c.exportedAs.includes(found.name)) : undefined;
      if (client && found) next = { client, clientFile: found.file };
    }
    if (!next) break;
    const via = `${wrapper} (${current.clientFile}) over ${next.client.variable ?? next.client.constructorName}`;
    current = { ...next, via: current.via ? `${via}, ${current.via}` : via };
  }
  return current;
}

/**
 * The client's timeouts with values from the environment filled in: a connection string read from
 * `process.env.X` is parsed from the container's value (credentials masked), an option read from
 * the environment takes its number. Values the environment does not give stay `env`/unknown.
 */
export function resolveDbTimeouts(client: DbClient, env: EnvContext, settings?: DatabaseSettings): DbTimeout[] {
  const own = resolveClientTimeouts(client, env);
  return settings ? withServerSettings(client, own, env, settings).timeouts : own;
}

/** {@link resolveDbTimeouts} with the notes that say which server-side settings apply and why (the database hop's evidence). */
export function resolveDbTimeoutsWithNotes(client: DbClient, env: EnvContext, settings: DatabaseSettings): { timeouts: DbTimeout[]; notes: ServerSettingNote[] } {
  return withServerSettings(client, resolveClientTimeouts(client, env), env, settings);
}

function resolveClientTimeouts(client: DbClient, env: EnvContext): DbTimeout[] {
  const knobs = knobsOf(client.library, client.variant);
  return client.timeouts.map((timeout) => {
    if (timeout.source !== 'env' || !timeout.envName) return timeout;
    const declared = env.get(timeout.envName);
    // Not set by the runtime that was linked: the code's own fallback connection string applies.
    const binding = declared ?? (env !== NO_ENV && client.urlEnv === timeout.envName && client.urlFallback !== undefined ? { text: client.urlFallback, unknown: false } : undefined);
    if (!binding || binding.unknown || binding.text === undefined) return timeout;
    const knob = knobs.find((k) => (k.option ?? k.urlParameter) === timeout.option || k.urlParameter === timeout.option);
    if (!knob) return timeout;
    const fromUrl = timeout.via !== 'options' && client.urlEnv === timeout.envName;
    if (fromUrl) {
      const parameter = knob.urlParameter ? urlParameters(binding.text).filter((p) => p.name === knob.urlParameter).at(-1) : undefined;
      if (!parameter) return defaultOf(knob);
      const [resolved] = effectiveTimeouts([{ ...knob, option: undefined }], undefined, { text: binding.text, source: 'env' });
      return { ...resolved!, text: maskCredentials(parameter.text), envName: timeout.envName, ...('valueSpan' in binding && binding.valueSpan ? { span: binding.valueSpan } : {}) };
    }
    const text = binding.text.trim();
    const ms = knob.postgresUnits ? postgresDurationMs(text) : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) * (knob.scale ?? 1) : undefined;
    const resolved: DbTimeout = { ...timeout, text: maskCredentials(text), ...('valueSpan' in binding && binding.valueSpan ? { span: binding.valueSpan } : {}) };
    if (ms === undefined) return { ...resolved, source: 'unknown' };
    return knob.zeroDisables && ms === 0 ? { ...resolved, disabled: true } : { ...resolved, ms };
  });
}

