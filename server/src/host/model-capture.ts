// A no-op rule that hands a front end the workspace model of a lint run: `timeout-lint chains` explains its chains, the language server's hover, code lens and chain view read it.
import type { WorkspaceModel } from '../engine/workspace-model.js';
import { defineRule, type Rule, type RuleInput } from '../engine/rule.js';
import { INPUTS } from '../engine/inputs/index.js';

/**
 * lint() returns findings, not its model. Rather than re-parsing (and re-deciding include entries)
 * in a front end, one extra rule that reports nothing keeps a reference to the model. Declaring
 * every input makes it run whatever the run holds (and makes the run read TypeScript sources).
 */
export function createModelCapture(): { rule: Rule; model: () => WorkspaceModel | undefined } {
  let captured: WorkspaceModel | undefined;
  const rule = defineRule({
    id: 'model-capture',
    description: 'Keeps the workspace model of the run for a front end; reports nothing.',
    defaultSeverity: 'info',
    fixable: 'never',
    inputs: INPUTS.map((input) => input.id as RuleInput),
    options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
    messages: {},
    check(ctx) {
      captured = ctx.model;
    },
  }) as Rule;
  return { rule, model: () => captured };
}
