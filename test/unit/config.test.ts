// The configuration file: defaults, severities, rule options and clear errors.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { resolveConfig } from '../../server/src/engine/config.js';
import { ENGINE_DIAGNOSTICS } from '../../server/src/engine/engine-diagnostics.js';

describe('resolveConfig', () => {
  it('keeps every default severity when nothing is configured', () => {
    const { config, errors } = resolveConfig(undefined, allRules);
    expect(errors).toEqual([]);
    for (const rule of allRules) expect(config.rules.get(rule.id)?.severity).toBe(rule.defaultSeverity);
    for (const diagnostic of ENGINE_DIAGNOSTICS) expect(config.rules.get(diagnostic.id)?.severity).toBe(diagnostic.defaultSeverity);
  });

  it('merges rule options over the defaults', () => {
    const { config, errors } = resolveConfig({ rules: { 'llm-route-default-read-timeout': ['error', { fixValue: '10m' }] } }, allRules);
    expect(errors).toEqual([]);
    expect(config.rules.get('llm-route-default-read-timeout')).toEqual({ severity: 'error', options: { threshold: '60s', fixValue: '10m' } });
  });

  it('turns engine diagnostics off like rules', () => {
    expect(resolveConfig({ rules: { 'not-analysed': 'off' } }, allRules).config.rules.get('not-analysed')?.severity).toBe('off');
  });

  it.each([
    [{ rules: { 'no-such-rule': 'error' } }, '/rules: unknown rule "no-such-rule"'],
    [{ rules: { 'timeout-in-if': 'loud' } }, '/rules/timeout-in-if: "loud" is not a severity; use one of error, warning, info, off, or [severity, options]'],
    [{ rules: { 'llm-route-default-read-timeout': ['warning', { nope: 1 }] } }, '/rules/llm-route-default-read-timeout options: unknown setting "nope"'],
    [{ colour: true }, ': unknown setting "colour"'],
    [{ nginx: { includePrefix: '/etc' } }, '/nginx/includePrefix must be a folder inside the workspace, got "/etc"'],
    [{ llm: { pathPatterns: ['(' ] } }, '/llm/pathPatterns has an invalid regular expression: ('],
  ])('reports %j clearly', (raw, message) => {
    expect(resolveConfig(raw, allRules).errors).toContain(message);
  });
});
