// The `timeoutLint/suggestConfig` request: a timeout-lint.config.json written from what the linter found (include prefixes for absolute includes it could not read, code folders for services it could not link).
import { chainsOf } from '../engine/chain/chains.js';
import type { FileId } from '../engine/types.js';
import type { FolderState } from './folder.js';

export const SUGGEST_CONFIG_REQUEST = 'timeoutLint/suggestConfig';

export interface SuggestConfigParams {
  /** A workspace folder (or any document in it). */
  uri: string;
}

export interface SuggestedConfig {
  /** The folder's config file, and whether it exists already (the client then shows the suggestion beside it). */
  configUri: string;
  exists: boolean;
  text: string;
  /** One line per choice made, for the user to check. */
  notes: string[];
}

/** Builds the suggestion from the folder's stored lint results; nothing is linted or read for it. */
export function suggestConfig(folder: FolderState, configUri: string, exists: boolean): SuggestedConfig {
  const notes: string[] = [];
  // No $schema: the extension validates timeout-lint.config.json against the schema it ships.
  const config: Record<string, unknown> = {};
  const prefixes = includePrefixes(folder, notes);
  if (prefixes.size > 0) {
    const root = prefixes.get('/');
    config.nginx = { includePrefix: prefixes.size === 1 && root !== undefined ? root : Object.fromEntries(prefixes) };
  }
  const services = serviceFolders(folder, notes);
  if (Object.keys(services).length > 0) config.chains = { services };
  if (notes.length === 0) notes.push('Nothing to map: every absolute include was read and every service was linked to its code. The file is empty; see the schema (hover its keys) for what it can set.');
  return { configUri, exists, text: `${JSON.stringify(config, null, 2)}\n`, notes };
}

/**
 * Container paths for the absolute includes nginx could not read, each mapped to the workspace
 * folder whose files end the same way: `include /etc/nginx/conf.d/*.conf` with `deploy/nginx/conf.d/api.conf`
 * in the workspace gives `/etc/nginx` → `deploy/nginx`. The mapping most includes agree on wins.
 */
function includePrefixes(folder: FolderState, notes: string[]): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  const files = [...folder.candidates];
  for (const unit of folder.index.all()) {
    for (const [file, findings] of unit.findings) {
      for (const finding of findings) {
        // An include nginx could not read, or one whose container path nothing in the workspace maps (not analysed).
        if (finding.ruleId !== 'include-error' && finding.ruleId !== 'not-analysed') continue;
        const path = unit.texts.get(file)?.slice(finding.span.start, finding.span.end).replace(/^["']|["';]$/g, '');
        if (!path?.startsWith('/')) continue;
        const mapping = mappingFor(path, files);
        if (!mapping) continue;
        const byWorkspace = votes.get(mapping.container) ?? new Map<string, number>();
        byWorkspace.set(mapping.workspace, (byWorkspace.get(mapping.workspace) ?? 0) + 1);
        votes.set(mapping.container, byWorkspace);
      }
    }
  }
  const prefixes = new Map<string, string>();
  for (const [container, byWorkspace] of votes) {
    const [workspace, count] = [...byWorkspace].sort((a, b) => b[1] - a[1])[0]!;
    prefixes.set(container, workspace);
    notes.push(`nginx.includePrefix: ${container} → ${workspace || 'the workspace root'} (${count} unreadable include${count === 1 ? ' ends' : 's end'} like files there)`);
  }
  return prefixes;
}

function mappingFor(includePath: string, files: readonly FileId[]): { container: string; workspace: string } | undefined {
  const segments = includePath.split('/').filter(Boolean);
  const globAt = segments.findIndex((s) => /[*?[]/.test(s));
  // A glob names a folder; an exact path names a file.
  const target = globAt >= 0 ? segments.slice(0, globAt) : segments;
  // The shortest tail that names something: the globbed folder's name, or an exact file with its folder.
  // Longer common tails only move the split up (`/etc/nginx/conf.d` ↔ `deploy/nginx/conf.d` would
  // also give `/etc` ↔ `deploy`), and the container's nginx folder is the one people map.
  const needed = Math.min(globAt >= 0 ? 1 : 2, target.length);
  if (needed === 0) return undefined;
  for (const file of files) {
    const parts = file.split('/');
    const candidate = globAt >= 0 ? parts.slice(0, -1) : parts;
    if (candidate.length < needed || !target.slice(-needed).every((segment, i) => segment === candidate[candidate.length - needed + i])) continue;
    return { container: `/${target.slice(0, target.length - needed).join('/')}`, workspace: candidate.slice(0, candidate.length - needed).join('/') };
  }
  return undefined;
}

/** `chains.services`: a workload or compose service whose code was not found, mapped to the code folder the linker names first. */
function serviceFolders(folder: FolderState, notes: string[]): Record<string, string> {
  const model = folder.chainUnit?.workspace;
  if (!model) return {};
  const services: Record<string, string> = {};
  for (const link of chainsOf(model).unresolved) {
    const entry = link.servicesEntry;
    if (!entry || entry.candidates.length === 0 || services[entry.name] !== undefined) continue;
    services[entry.name] = entry.candidates[0]!;
    const others = entry.candidates.slice(1);
    notes.push(`chains.services: ${entry.name} → ${entry.candidates[0]}${others.length > 0 ? ` (or ${others.join(', ')})` : ''}`);
  }
  return services;
}
