// A no-op rule that hands the CLI the workspace model of a lint run, so `chains` explains the engine's own chains.
import type { WorkspaceModel } from '../engine/model/workspace-model.js';
import { defineRule, type Rule } from '../engine/rule.js';

/**
 * lint() returns findings, not its model (the language server's `lsp/model-capture.ts` does the
 * same for nginx models). Declaring every input makes the run read the TypeScript sources too.
 */
export function createWorkspaceModelCapture(): { rule: Rule; model: () => WorkspaceModel | undefined } {
  let captured: WorkspaceModel | undefined;
  const rule = defineRule({
    id: 'cli-model-capture',
    description: 'Keeps the workspace model of the run for the chains command; reports nothing.',
    defaultSeverity: 'info',
    fixable: 'never',
    inputs: ['nginx', 'k8s', 'ts'],
    options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
    messages: {},
    check(ctx) {
      captured = ctx.model;
    },
  }) as Rule;
  return { rule, model: () => captured };
}
