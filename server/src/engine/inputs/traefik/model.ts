// The Traefik model of a workspace: every source's facts together, and the lookups Traefik makes by name (a router's service, a service's servers transport, a router's middlewares).
import type { FileId, Problem } from '../../types.js';
import type { TraefikFacts, TraefikProvider, TraefikRetry, TraefikRouter, TraefikService, TraefikStatic, TraefikTransport } from './facts.js';
import type { TraefikProviderLoad } from './provider.js';
import type { ConfigScalar } from './tree.js';

export interface TraefikModel {
  statics: TraefikStatic[];
  routers: TraefikRouter[];
  services: TraefikService[];
  transports: TraefikTransport[];
  retries: TraefikRetry[];
  problems: Problem[];
  /** Dynamic files a static configuration's file provider loads, by file. */
  providerLoads: ReadonlyMap<FileId, TraefikProviderLoad>;
}

export function buildTraefikModel(facts: readonly TraefikFacts[], problems: readonly Problem[] = [], providerLoads: ReadonlyMap<FileId, TraefikProviderLoad> = new Map()): TraefikModel {
  return {
    providerLoads,
    statics: facts.flatMap((f) => f.statics),
    routers: facts.flatMap((f) => f.routers),
    services: facts.flatMap((f) => f.services),
    transports: facts.flatMap((f) => f.transports),
    retries: facts.flatMap((f) => f.retries),
    problems: [...problems],
  };
}

/** A name as referenced: `api@file` names the file provider's `api`; a bare name is the referrer's provider's. */
function splitReference(text: string, from: TraefikProvider): { name: string; provider: string } {
  const at = text.lastIndexOf('@');
  return at < 0 ? { name: text.trim(), provider: from } : { name: text.slice(0, at).trim(), provider: text.slice(at + 1).trim().toLowerCase() };
}

function byReference<T extends { name: string; provider: TraefikProvider; namespace?: string; span: { file: string } }>(items: readonly T[], reference: string, from: TraefikProvider, fromFile: string, namespace?: string): T | undefined {
  const { name, provider } = splitReference(reference, from);
  let matches = items.filter((i) => i.provider === provider && (i.name === name || (i.namespace !== undefined && `${i.namespace}-${i.name}` === name)));
  if (namespace !== undefined && matches.some((m) => m.namespace === namespace)) matches = matches.filter((m) => m.namespace === namespace);
  if (matches.length <= 1) return matches[0];
  // The same name in several files (a staging and a production setup side by side): the one
  // nearest the referrer (longest shared folder, then the shallowest) is the one it is deployed with.
  return [...matches].sort((a, b) => sharedDepth(b.span.file, fromFile) - sharedDepth(a.span.file, fromFile) || depth(a.span.file) - depth(b.span.file))[0];
}

function depth(file: string): number {
  return file.split('/').length;
}

function sharedDepth(a: string, b: string): number {
  const left = a.split('/').slice(0, -1);
  const right = b.split('/').slice(0, -1);
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return i;
}

/**
 * The service a router sends to: its `service`, or (labels) the one service the same container
 * declares, which Traefik picks when a router names none.
 */
export function serviceOfRouter(model: TraefikModel, router: TraefikRouter): TraefikService | undefined {
  if (router.service) return byReference(model.services, router.service.text, router.provider, router.file, router.namespace);
  if (router.composeService === undefined) return undefined;
  const own = model.services.filter((s) => s.composeService === router.composeService);
  return own.length === 1 ? own[0] : undefined;
}

/** The transport a service names, `'missing'` when it names one the workspace does not hold, else undefined (the static default applies). */
export function transportOfService(model: TraefikModel, service: TraefikService): TraefikTransport | 'missing' | undefined {
  if (!service.transport) return undefined;
  return byReference(model.transports, service.transport.text, service.provider, service.span.file) ?? 'missing';
}

/**
 * The default transport of the static configuration, when one is in the workspace: the one whose
 * file provider loads `file` when one does, else the first.
 */
export function staticTransport(model: TraefikModel, file?: FileId): TraefikTransport | undefined {
  const loader = file === undefined ? undefined : model.providerLoads.get(file)?.static;
  if (loader) return loader.transport;
  return model.statics.find((s) => s.transport)?.transport;
}

/** The retry middlewares a router uses, in order. */
export function retriesOfRouter(model: TraefikModel, router: TraefikRouter): Array<{ reference: ConfigScalar; retry: TraefikRetry }> {
  return router.middlewares.flatMap((reference) => {
    const retry = byReference(model.retries, reference.text, router.provider, router.file, router.namespace);
    return retry ? [{ reference, retry }] : [];
  });
}

/** The entry points a router listens on (all of them when it names none), as far as the static configuration is in the workspace. */
export function entryPointsOfRouter(model: TraefikModel, router: TraefikRouter): TraefikStatic['entryPoints'] {
  // A router of a file its file provider loads listens on that Traefik's entry points only.
  const loader = router.provider === 'file' ? model.providerLoads.get(router.file)?.static : undefined;
  const all = loader ? loader.entryPoints : model.statics.flatMap((s) => s.entryPoints);
  if (router.entryPoints.length === 0) return all;
  const names = new Set(router.entryPoints.map((e) => e.toLowerCase()));
  return all.filter((e) => names.has(e.name.toLowerCase()));
}
