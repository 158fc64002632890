// Reads the value `set` gives a variable that a proxy target uses, where it is certain: the usual way
// to make nginx resolve a container name per request (`resolver 127.0.0.11; set $api api;
// proxy_pass http://$api:8080;`).
import type { NginxBlock, NginxModel } from './blocks.js';
import { withSetVariables, type SetVariable } from './proxy-target.js';

/**
 * Gives each proxy target that uses a variable the literal value an unconditional `set` gives it:
 * server-level `set`s run before the location's (nginx's rewrite phases), so the innermost block
 * of the location's chain that sets the variable decides, its last `set`. Unknown (the target stays
 * unresolved) when a `set` of it is inside an `if` anywhere on the chain (conditional), when its
 * value holds another variable, or when a block on the chain has a statement whose content is
 * unknown (an unreadable include, a placeholder).
 */
export function applySetVariables(model: NginxModel): void {
  for (const block of model.blocks) {
    const target = block.proxyTarget;
    // Each block with its own proxy_pass (a location that borrowed an inner `if`'s target shares it).
    if (!target || !target.unresolved || !target.raw.includes('$') || !block.statements.includes(target.directive)) continue;
    const resolved = withSetVariables(target, (name) => setValueFor(block, name));
    if (resolved !== target) Object.assign(target, resolved);
  }
}

function setValueFor(block: NginxBlock, name: string): SetVariable | undefined {
  const chain: NginxBlock[] = [];
  for (let current: NginxBlock | undefined = block; current; current = current.parent) {
    chain.push(current);
    if (current.kind === 'server') break;
  }
  if (chain.at(-1)?.kind !== 'server') return undefined;
  let found: SetVariable | undefined;
  // From the innermost block out: the first that sets the variable decides; `if` blocks only ever make it uncertain.
  for (const current of chain) {
    if (current.unknownStatement) return undefined;
    if (current.kind === 'if' || setInsideIf(current, name)) {
      if (current.kind === 'if' ? setsVariable(current, name) : true) return undefined;
    }
    if (found) continue;
    const sets = current.statements.filter((d) => d.name === 'set' && d.args[0]?.value === `$${name}`);
    const last = sets.at(-1);
    if (!last) continue;
    const value = last.args[1]?.value;
    if (value === undefined || value.includes('$')) return undefined;
    found = { name, value, span: last.span, line: last.line };
  }
  return found;
}

function setsVariable(block: NginxBlock, name: string): boolean {
  return block.statements.some((d) => d.name === 'set' && d.args[0]?.value === `$${name}`);
}

/** Whether an `if` inside the block (at any depth of `if`s) sets the variable. */
function setInsideIf(block: NginxBlock, name: string): boolean {
  return block.children.some((child) => child.kind === 'if' && (setsVariable(child, name) || setInsideIf(child, name)));
}
