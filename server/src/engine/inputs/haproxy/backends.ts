// Which backends a HAProxy frontend (or listen section) sends requests to: its use_backend rules, its default_backend, or itself.
import type { Span } from '../../types.js';
import { findBackend, type HaproxyModel, type HaproxyProxy } from './facts.js';
import type { HaproxyAcl, HaproxyUseBackend } from './routing.js';

export interface HaproxyRoute {
  frontend: HaproxyProxy;
  /** Undefined when the rule names a backend that does not exist or a name known only per request. */
  backend?: HaproxyProxy;
  /** How the frontend chose it. */
  via: 'use_backend' | 'default_backend' | 'listen';
  rule?: HaproxyUseBackend;
  /** The statement that names the backend (a use_backend or default_backend line); the header for a listen section. */
  span: Span;
  /** The name as written, for messages about a backend that cannot be found. */
  name?: string;
}

/**
 * The routes of a frontend or listen section in HAProxy's order: use_backend rules first (the
 * first matching one wins), then default_backend. A listen section without either serves with its
 * own servers. Sections HAProxy never reads (a false `.if`) are already left out of the model.
 */
export function routesOf(model: HaproxyModel, frontend: HaproxyProxy): HaproxyRoute[] {
  const routes: HaproxyRoute[] = [];
  for (const rule of frontend.useBackends) {
    const route: HaproxyRoute = { frontend, via: 'use_backend', rule, span: rule.statement.span };
    if (rule.backend !== undefined) {
      route.name = rule.backend;
      const backend = findBackend(model, rule.backend);
      if (backend) route.backend = backend;
    }
    routes.push(route);
  }
  const fallback = frontend.defaultBackend;
  if (fallback?.value) {
    const span = fallback.source.kind === 'default' ? frontend.section.header.span : fallback.source.statement.span;
    const route: HaproxyRoute = { frontend, via: 'default_backend', span, name: fallback.value };
    const backend = findBackend(model, fallback.value);
    if (backend) route.backend = backend;
    routes.push(route);
  } else if (frontend.kind === 'listen' && frontend.servers.length > 0) {
    routes.push({ frontend, backend: frontend, via: 'listen', span: frontend.section.header.span });
  }
  return routes;
}

/** Every frontend-side proxy HAProxy reads: frontends and listen sections. */
export function frontendsOf(model: HaproxyModel): HaproxyProxy[] {
  return model.proxies.filter((p) => p.kind === 'frontend' || p.kind === 'listen');
}

// A header criterion on Upgrade (`hdr(upgrade)`, `req.hdr(Upgrade)`, `hdr_beg(upgrade)`) or on Connection naming an upgrade.
const UPGRADE_CRITERION = /(^|[\s{!(])(req\.)?hdr(_[a-z]+)?\(\s*upgrade\s*[,)]/i;
const CONNECTION_UPGRADE = /(^|[\s{!(])(req\.)?hdr(_[a-z]+)?\(\s*connection\s*[,)][^}]*\bupgrade\b/i;

/**
 * True when a use_backend rule selects the backend for WebSocket (or other upgraded) requests: its
 * condition tests the Upgrade header directly (`{ hdr(upgrade) -i websocket }`) or through a
 * named ACL of the frontend that does. An `unless` rule selects the other requests, so it does not count.
 */
export function routesUpgrades(rule: HaproxyUseBackend, acls: readonly HaproxyAcl[]): boolean {
  const condition = rule.condition;
  if (!condition || condition.kind !== 'if') return false;
  if (testsUpgrade(condition.text)) return true;
  // Named ACLs: any word of the condition that is an ACL name (HAProxy ORs ACLs of the same name).
  const words = new Set(condition.text.split(/\s+/).map((w) => w.replace(/^!/, '')));
  return acls.some((acl) => words.has(acl.name) && !condition.text.includes(`!${acl.name}`) && testsUpgrade(acl.text));
}

function testsUpgrade(text: string): boolean {
  return UPGRADE_CRITERION.test(text) || CONNECTION_UPGRADE.test(text);
}

// `path_beg /api` (flags such as `-i` may come first): the only path test the linker follows.
const PATH_BEG = /(?:^|[\s{!(])path_beg\s+(?:-\S+\s+)*(\/\S*)/;

/**
 * The path prefix a use_backend rule requires, when its condition (or the one ACL it names) is a
 * single `path_beg` test; undefined otherwise (the request may have any path).
 */
export function pathPrefixOf(route: HaproxyRoute): string | undefined {
  const condition = route.rule?.condition;
  if (!condition || condition.kind !== 'if') return undefined;
  const words = condition.text.split(/\s+/).filter((w) => w !== '');
  const direct = PATH_BEG.exec(condition.text);
  if (direct && !/\b(or|\|\|)\b/.test(condition.text)) return direct[1];
  if (words.length !== 1) return undefined;
  const acls = route.frontend.acls.filter((a) => a.name === words[0]);
  if (acls.length !== 1) return undefined;
  const fromAcl = PATH_BEG.exec(acls[0]!.text);
  // An ACL with several values matches any of them: only one value gives one prefix.
  return fromAcl && acls[0]!.text.trim().split(/\s+/).length === 2 + (acls[0]!.text.match(/\s-\S+/g)?.length ?? 0) ? fromAcl[1] : undefined;
}
