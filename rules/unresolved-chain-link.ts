// Reports, as information, where a call chain stops because the linker could not find the next hop.
import { chainsOf, defineRule, type UnresolvedLink } from '../server/src/engine/rule-api.js';
import { headlineName } from './util/places.js';

// Folders listed in the message when several could be meant; more than this is a long list nobody reads.
const MAX_CANDIDATES = 5;

export default defineRule<Record<string, never>>({
  id: 'unresolved-chain-link',
  description: 'Shows where a call chain stops because the next hop is not in the workspace or does not match.',
  defaultSeverity: 'info',
  fixable: 'never',
  inputs: ['nginx', 'k8s', 'ts', 'traefik', 'kong'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    stops: 'Call chain stops at {fromName}; no timeout behind it is checked. It stops at {from}. Why: {reason}.',
    stopsServicesEntry: 'Call chain stops at {fromName}; no timeout behind it is checked. It stops at {from}. Why: {reason}. To link it, add {entry} to timeout-lint.config.json{candidates}.',
  },
  check(ctx) {
    for (const link of chainsOf(ctx.model).unresolved) {
      const entry = link.servicesEntry ? servicesEntryOf(link.servicesEntry) : undefined;
      if (entry) ctx.report({ messageId: 'stopsServicesEntry', data: { from: link.from, fromName: headlineName(link.from), reason: link.message, ...entry }, span: link.span });
      else ctx.report({ messageId: 'stops', data: { from: link.from, fromName: headlineName(link.from), reason: link.message }, span: link.span });
    }
  },
});

/**
 * The `chains.services` entry as JSON text, with the one deployable folder when there is exactly one, else a
 * placeholder and the folders that could be meant. It is offered as text, not as a fix: the configuration file is
 * read by the CLI and the server before linting, outside the workspace files the engine edits, may not exist yet
 * (an edit cannot create a file), and a fix applied to it would not change the run that applies fixes.
 */
function servicesEntryOf(hint: NonNullable<UnresolvedLink['servicesEntry']>): { entry: string; folder: string; candidates: string } {
  const folder = hint.candidates.length === 1 ? hint.candidates[0]! : '<code folder>';
  const entry = `\`"chains": { "services": { ${JSON.stringify(hint.name)}: ${JSON.stringify(folder)} } }\``;
  const shown = hint.candidates.slice(0, MAX_CANDIDATES).join(', ') + (hint.candidates.length > MAX_CANDIDATES ? `, … (${hint.candidates.length} in all)` : '');
  const candidates = hint.candidates.length > 1 ? ` (code folders that serve requests: ${shown})` : hint.candidates.length === 0 ? ' (no code folder here serves requests: a server or route handler)' : '';
  return { entry, folder, candidates };
}
