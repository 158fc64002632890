// Test hooks, not features: let the LSP tests prove that a crashing rule is isolated and that a slow unit is stopped by its budget.
import { defineRule, type Rule } from '../engine/rule.js';

/** The environment variable that turns the crash hook on; nothing else in the server reads it. */
export const CRASH_RULE_ENV = 'TIMEOUT_LINT_TEST_CRASH_RULE';
/** The environment variable that turns the slow hook on; nothing else in the server reads it. */
export const SLOW_RULE_ENV = 'TIMEOUT_LINT_TEST_SLOW_RULE';
/** The same for a slow rule that reads several inputs, so it runs in the call-chain unit. */
export const SLOW_CHAIN_RULE_ENV = 'TIMEOUT_LINT_TEST_SLOW_CHAIN_RULE';

/** How long the slow rule works on a unit when nothing stops it. */
const SLOW_RULE_MS = 60_000;

/**
 * With TIMEOUT_LINT_TEST_CRASH_RULE=1 in the server's environment, one extra rule that always
 * throws is added; with TIMEOUT_LINT_TEST_SLOW_RULE=1, one that is slow. Without them (every real
 * use) this returns no rules and changes nothing.
 */
export function testOnlyRules(env: NodeJS.ProcessEnv = process.env): Rule[] {
  const rules: Rule[] = [];
  if (env[CRASH_RULE_ENV] === '1') rules.push(crashRule());
  if (env[SLOW_RULE_ENV] === '1') rules.push(slowRule('test-slow-rule', ['nginx']));
  if (env[SLOW_CHAIN_RULE_ENV] === '1') rules.push(slowRule('test-slow-chain-rule', ['nginx', 'ts']));
  return rules;
}

function crashRule(): Rule {
  return defineRule({
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
  }) as Rule;
}

/**
 * With TIMEOUT_LINT_TEST_SLOW_RULE=1, one extra rule that works for a minute on every nginx entry
 * whose name contains "slow" (a stand-in for a workspace that is slow by volume), reporting the
 * same finding over and over as a busy rule does, which is where the unit budget can stop it.
 * With TIMEOUT_LINT_TEST_SLOW_CHAIN_RULE=1 the rule reads several inputs, so it runs in the
 * call-chain unit instead.
 */
function slowRule(id: string, inputs: Rule['inputs']): Rule {
  return defineRule({
    id,
    description: 'Works for a minute on nginx entries named *slow* (test hook).',
    defaultSeverity: 'warning',
    fixable: 'never',
    inputs: [...inputs],
    options: { schema: { type: 'object', properties: {}, additionalProperties: false }, defaults: {} },
    messages: { slow: `${id} finished after working for a minute` },
    check(ctx) {
      for (const model of ctx.model.nginx) {
        if (!model.config.entry.includes('slow')) continue;
        const until = performance.now() + SLOW_RULE_MS;
        while (performance.now() < until) ctx.report({ messageId: 'slow', data: {}, span: { file: model.config.entry, start: 0, end: 0 } });
      }
    },
  }) as Rule;
}
