// LangChain runnables composed around a chat model (LCEL): `prompt.pipe(model).pipe(parser)`,
// `RunnableSequence.from([prompt, model, parser])`, `model.bind(…)`, `model.withRetry()`. Calling
// `.invoke()`/`.stream()` on the composition calls the model inside it, so the composition is read as
// that model's client (the last model in the sequence: the one whose answer the caller gets).
import { memberPath, unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Scope } from './scope.js';

/** Methods that return a runnable around their receiver, which still calls the receiver's model. */
const WRAPPERS = new Set(['bind', 'bindTools', 'withConfig', 'withRetry', 'withStructuredOutput', 'withFallbacks', 'withListeners', 'assign']);

/** How deep a composition is followed through constants and nested sequences. */
const MAX_DEPTH = 6;

/** The index of the LangChain model client a composed runnable calls, or undefined when none is found. */
export function composedModel(ctx: FactsContext, expression: AstNode | undefined, scope: Scope, depth = 0): number | undefined {
  const node = unwrapAwait(expression);
  if (!node || depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case 'Identifier': {
      const binding = scope.lookup(node.name);
      if (!binding) return undefined;
      const root = ctx.bindingRoot(binding);
      if (root.kind === 'client') return ctx.client(root.clientIndex).library === 'langchain' ? root.clientIndex : undefined;
      return binding.kind === 'const' && binding.init ? composedModel(ctx, binding.init, binding.scope, depth + 1) : undefined;
    }
    case 'ArrayExpression':
      return lastModel(ctx, node.elements as AstNode[], scope, depth);
    case 'NewExpression': {
      const index = ctx.clientReader(node, scope);
      return index !== undefined && ctx.client(index).library === 'langchain' ? index : undefined;
    }
    case 'CallExpression': {
      const callee = unwrap(node.callee);
      if (callee?.type !== 'MemberExpression' || callee.computed || callee.property?.type !== 'Identifier') return undefined;
      const method = callee.property.name as string;
      const args = node.arguments as AstNode[];
      // `a.pipe(b).pipe(c)`: the answer comes from the last model in the pipe.
      if (method === 'pipe') return lastModel(ctx, args, scope, depth) ?? composedModel(ctx, callee.object, scope, depth + 1);
      if (method === 'from' && memberPath(callee.object)?.at(-1) === 'RunnableSequence') return composedModel(ctx, args[0], scope, depth + 1);
      if (WRAPPERS.has(method)) return composedModel(ctx, callee.object, scope, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

function lastModel(ctx: FactsContext, nodes: AstNode[], scope: Scope, depth: number): number | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const found = composedModel(ctx, nodes[i], scope, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
