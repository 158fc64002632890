// Test hook, not a feature: lets the LSP tests prove that a crashing rule is isolated.
import { defineRule, type Rule } from '../engine/rule.js';

/** The environment variable that turns the hook on; nothing else in the server reads it. */
export const CRASH_RULE_ENV = 'TIMEOUT_LINT_TEST_CRASH_RULE';

/**
 * With TIMEOUT_LINT_TEST_CRASH_RULE=1 in the server's environment, one extra rule that always
 * throws is added. Without it (every real use) this returns no rules and changes nothing.
 */
export function testOnlyRules(env: NodeJS.ProcessEnv = process.env): Rule[] {
  if (env[CRASH_RULE_ENV] !== '1') return [];
  return [
    defineRule({
      id: 'test-crash-rule',
      description: 'Throws on every run (test hook).',
      defaultSeverity: 'error',
      fixable: 'never',
      inputs: ['nginx'],
      options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
      messages: {},
      check() {
        throw new Error('test-crash-rule throws on purpose');
      },
    }) as Rule,
  ];
}
