// A no-op rule that hands the server the model of a lint run, so hover, code lens and the chain view reuse the engine's own model.
import type { NginxModel } from '../engine/model/nginx-model.js';
import type { WorkspaceModel } from '../engine/model/workspace-model.js';
import { defineRule, type Rule } from '../engine/rule.js';

/**
 * lint() returns findings, not its model. Rather than re-parsing (and re-deciding include
 * entries) in the server, one extra rule that reports nothing keeps a reference to the model.
 * It declares every input so that it runs whatever the unit holds.
 */
export function createModelCapture(): { rule: Rule; models: () => NginxModel[]; workspace: () => WorkspaceModel | undefined } {
  let captured: WorkspaceModel | undefined;
  const rule = defineRule({
    id: 'lsp-model-capture',
    description: 'Keeps the model of the run for editor features; reports nothing.',
    defaultSeverity: 'info',
    fixable: 'never',
    inputs: ['nginx', 'k8s', 'ts'],
    options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
    messages: {},
    check(ctx) {
      captured = ctx.model;
    },
  }) as Rule;
  return { rule, models: () => captured?.nginx ?? [], workspace: () => captured };
}
