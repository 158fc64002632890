// The configuration file: defaults, severities, rule options and clear errors.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig, loadConfigText, resolveConfig } from '../../server/src/engine/config.js';
import { parseJsonWithPositions } from '../../server/src/engine/json-positions.js';
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
  ])('reports %j clearly', (raw, message) => {
    expect(resolveConfig(raw, allRules).errors).toContain(message);
  });

  // Checked by the engine that runs them (RE2): JavaScript accepts a lookahead, RE2 cannot run one.
  it.each([['('], ['/(?=v1)chat'], ['(a)\\1']])('reports the llm pattern %s that cannot be used, with the reason, and drops it', (pattern) => {
    const { config, errors } = resolveConfig({ llm: { pathPatterns: [pattern, '/v1/chat'] } }, allRules);
    expect(errors).toEqual([expect.stringMatching(/^\/llm\/pathPatterns has a regular expression that cannot be used \(.+\): /)]);
    expect(errors[0]!.endsWith(pattern)).toBe(true);
    expect(config.llm.pathPatterns).toEqual(['/v1/chat']);
  });
});

describe('loadConfigText', () => {
  /** The 1-based line and column of the n-th occurrence of `needle`, so tests never type positions by hand. */
  const positionOf = (text: string, needle: string, occurrence = 0): { line: number; column: number } => {
    let offset = -1;
    for (let i = 0; i <= occurrence; i++) offset = text.indexOf(needle, offset + 1);
    const before = text.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };

  it('reads a configuration with a UTF-8 BOM', () => {
    const { config, problems } = loadConfigText('\ufeff{ "rules": { "timeout-in-if": "off" } }', allRules);
    expect(problems).toEqual([]);
    expect(config.rules.get('timeout-in-if')?.severity).toBe('off');
  });

  it('gives no file the defaults and no problems', () => {
    expect(loadConfigText(undefined, allRules)).toEqual({ config: defaultConfig(allRules), problems: [] });
  });

  it.each([
    ['{ "rules": { "timeout-in-if": "off" }, }', '}'],
    ['{\n  "ignore": ["a"\n  "b"]\n}', '"b"'],
    ['{ "nginx": { "files": [\'*.conf\'] } }', "'"],
    ['{ "rules": {', undefined],
  ])('reports the JSON syntax error of %j at its line and column', (text, at) => {
    const { config, problems } = loadConfigText(text, allRules);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^invalid JSON: /);
    if (at !== undefined) expect(problems[0]).toMatchObject(positionOf(text, at, at === '}' ? 1 : 0));
    else expect(problems[0]).toMatchObject({ line: 1, column: text.length + 1 });
    expect(config).toEqual(defaultConfig(allRules));
  });

  const wrongTypes = `{
  "ignore": "dist/**",
  "nginx": { "files": [1, "a.conf"], "includePrefix": 42 },
  "kubernetes": { "ingressNginxAnnotationPrefix": [], "ingressNginxConfigMapNames": "cm" },
  "llm": { "pathPatterns": 5, "upstreamPatterns": [null], "streamingPathPatterns": {} },
  "chains": { "services": { "api": 3, "constructor": "svc/ctor" } },
  "rules": {
    "timeout-in-if": 7,
    "llm-route-default-read-timeout": ["warning", "10m"],
    "connect-timeout-above-75s": ["error", { "threshold": true }],
    "probe-timeout-not-below-period": []
  }
}`;

  it('reports every value of the wrong type at its own position, never throwing', () => {
    const { problems } = loadConfigText(wrongTypes, allRules);
    const at = (needle: string) => positionOf(wrongTypes, needle);
    const where = problems.map((p) => `${p.line}:${p.column}`);
    for (const needle of ['"dist/**"', '1, "a.conf"', '42', '[]', '"cm"', '5,', 'null', '{}', '3,', '7,', '"10m"', '[]\n']) {
      const { line, column } = at(needle);
      expect(where, `a problem at ${needle}`).toContain(`${line}:${column}`);
    }
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });

  it('falls back to the defaults for every value of the wrong type', () => {
    const { config } = loadConfigText(wrongTypes, allRules);
    const defaults = defaultConfig(allRules);
    expect(config.ignore).toEqual([]);
    expect(config.nginx).toEqual(defaults.nginx);
    expect(config.kubernetes).toEqual(defaults.kubernetes);
    expect(config.llm).toEqual(defaults.llm);
    expect({ ...config.chains.services }).toEqual({ constructor: 'svc/ctor' });
    expect(config.rules.get('timeout-in-if')).toEqual(defaults.rules.get('timeout-in-if'));
    expect(config.rules.get('llm-route-default-read-timeout')).toEqual({ severity: 'warning', options: defaults.rules.get('llm-route-default-read-timeout')!.options });
    expect(config.rules.get('connect-timeout-above-75s')).toEqual({ severity: 'error', options: defaults.rules.get('connect-timeout-above-75s')!.options });
  });

  it('points an unknown setting at its key, and takes "__proto__" as a plain key', () => {
    const text = '{\n  "nginx": { "filez": [] },\n  "__proto__": { "ignore": ["x"] }\n}';
    const { config, problems } = loadConfigText(text, allRules);
    expect(problems).toEqual([
      { message: '/nginx: unknown setting "filez"', ...positionOf(text, '"filez"') },
      { message: ': unknown setting "__proto__"', ...positionOf(text, '"__proto__"') },
    ]);
    expect(config.ignore).toEqual([]);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('refuses absurd nesting as a syntax error instead of overflowing the stack', () => {
    const text = `{ "ignore": ${'['.repeat(100_000)}${']'.repeat(100_000)} }`;
    const { problems } = loadConfigText(text, allRules);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/nested more than/);
  });

  it.each([
    'null', '[]', '"x"', '3', '{"rules": null}', '{"rules": []}', '{"rules": {"timeout-in-if": {}}}', '{"llm": []}',
    '{"nginx": null}', '{"chains": {"services": []}}', '{"rules": {"timeout-in-if": ["warning", null, 1]}}',
    '{"rules": {"toString": "off", "constructor": ["off"], "__proto__": "off"}}',
  ])('never throws on %s and reports it', (text) => {
    const { problems } = loadConfigText(text, allRules);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.line).toBeGreaterThanOrEqual(1);
  });
});

describe('parseJsonWithPositions', () => {
  it.each([
    '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n\\"\\\\/"], "b": {}}', '  [ ]  ', '"\\ud83d\\ude00"', '0', '{"a":1,"a":2}',
  ])('agrees with JSON.parse on %s', (text) => {
    expect(parseJsonWithPositions(text).value).toEqual(JSON.parse(text));
  });

  it.each(['{"a":1,}', '[1,]', '01', '"\t"', '{a:1}', "'x'", '[1] x', '', '"\\x"', 'nul', '-', '1.', '.5', '+1'])('rejects %j like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(parseJsonWithPositions(text).error).toBeDefined();
  });

  it('records value and key spans by JSON pointer', () => {
    const text = '{"a/b": {"c~d": [10, "x"]}}';
    const { valueSpans, keySpans } = parseJsonWithPositions(text);
    const slice = (span: { start: number; end: number } | undefined) => text.slice(span!.start, span!.end);
    expect(slice(valueSpans.get('/a~1b/c~0d/1'))).toBe('"x"');
    expect(slice(valueSpans.get('/a~1b/c~0d'))).toBe('[10, "x"]');
    expect(slice(keySpans.get('/a~1b'))).toBe('"a/b"');
  });
});

describe('chains.frontedBy', () => {
  it('takes a platform name or an object with durations, and keeps where each entry is', () => {
    const { config, errors } = resolveConfig({ chains: { frontedBy: { 'services/api': 'aws-alb', web: { kind: 'cloudflare', idleTimeout: '2m', timeout: 30 } } } }, allRules);
    expect(errors).toEqual([]);
    expect(config.chains.frontedBy['services/api']).toEqual({ kind: 'aws-alb', pointer: '/chains/frontedBy/services~1api' });
    expect(config.chains.frontedBy['web']).toEqual({ kind: 'cloudflare', idleTimeoutMs: 120_000, timeoutMs: 30_000, pointer: '/chains/frontedBy/web' });
  });

  it('reports an unknown platform and a duration it cannot read, and leaves the bad parts out', () => {
    const { config, issues } = resolveConfig({ chains: { frontedBy: { a: 'nginx-plus', b: { kind: 'aws-alb', idleTimeout: 'sixty' } } } }, allRules);
    expect(config.chains.frontedBy['a']).toBeUndefined();
    expect(config.chains.frontedBy['b']).toEqual({ kind: 'aws-alb', pointer: '/chains/frontedBy/b' });
    expect(issues.map((i) => i.pointer)).toEqual(expect.arrayContaining(['/chains/frontedBy/a', '/chains/frontedBy/b/idleTimeout']));
  });

  it('is empty by default', () => {
    expect(Object.keys(defaultConfig(allRules).chains.frontedBy)).toEqual([]);
  });
});
