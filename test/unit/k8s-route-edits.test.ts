// Tables for the route and mesh fix helpers: GEP-2257 spellings, intended durations, and YAML edits that keep every other byte.
import { isMap, parseDocument, type Node, type YAMLMap } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../server/src/engine/fix.js';
import { detectEol } from '../../server/src/engine/text.js';
import { gatewayApiSpelling, insertKeyEdit, intendedDurationMs, replaceValueEdit, type InsertValue } from '../../rules/util/k8s-route-edits.js';

describe('gatewayApiSpelling', () => {
  it.each([
    [1500, '1s500ms'], [500, '500ms'], [0, '0s'], [90_000, '90s'], [120_000, '2m'], [86_400_000, '24h'],
    [100_000_000, '27h46m40s'], [99_999 * 3_600_000 + 1, '99999h1ms'],
  ])('spells %d ms as %s', (ms, spelling) => {
    expect(gatewayApiSpelling(ms)).toBe(spelling);
  });

  it.each([0.5, -1000, 100_000 * 3_600_000, Number.NaN])('has no spelling for %d', (ms) => {
    expect(gatewayApiSpelling(ms)).toBeUndefined();
  });
});

describe('intendedDurationMs', () => {
  it.each([
    ['1.5s', 1500], ['1d', 86_400_000], ['100000s', 100_000_000], ['500us', 0.5], ['0.1h', 360_000], ['1h30m', 5_400_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(intendedDurationMs(text)).toBe(ms);
  });

  it.each(['250', '-5s', '1h 30m', '5S', '', 'soon'])('does not guess what %j means', (text) => {
    expect(intendedDurationMs(text)).toBeUndefined();
  });
});

/** Applies an insertion into the mapping at `path` and returns the new text. */
function insert(text: string, path: Array<string | number>, key: string, value: InsertValue): string {
  const document = parseDocument(text);
  const map = document.getIn(path, true) as Node;
  if (!isMap(map)) throw new Error(`no mapping at ${path.join('.')}`);
  const edit = insertKeyEdit({ file: 'f.yaml', text, eol: detectEol(text) }, map as YAMLMap, key, value, document.contents as Node);
  if (!edit) throw new Error('no edit');
  return applyEdits(text, [edit]).text;
}

describe('insertKeyEdit', () => {
  it('adds a nested block mapping after a nested sequence, keeping the comment line after it', () => {
    const text = 'metadata:\n  name: a\nrules:\n  - matches:\n      - path: {value: /chat}   # c\n    backendRefs:\n      - name: chat\n    # trailing comment\n  - name: b\n';
    expect(insert(text, ['rules', 0], 'timeouts', { key: 'request', value: '300s' })).toBe(
      'metadata:\n  name: a\nrules:\n  - matches:\n      - path: {value: /chat}   # c\n    backendRefs:\n      - name: chat\n    timeouts:\n      request: 300s\n    # trailing comment\n  - name: b\n');
  });

  it('uses the file\'s indentation step and CRLF line endings', () => {
    const text = 'metadata:\r\n    name: a\r\nspec:\r\n    retries:\r\n        attempts: 3   # three\r\n';
    expect(insert(text, ['spec'], 'timeouts', { key: 'request', value: '300s' })).toBe(
      'metadata:\r\n    name: a\r\nspec:\r\n    retries:\r\n        attempts: 3   # three\r\n    timeouts:\r\n        request: 300s\r\n');
  });

  it('inserts after a block scalar and at the end of a file without a final line break', () => {
    expect(insert('a:\n  script: |\n    echo hi\n  b: 1\nc: 2\n', ['a'], 'k', 'v')).toBe('a:\n  script: |\n    echo hi\n  b: 1\n  k: v\nc: 2\n');
    expect(insert('a:\n  script: |\n    echo hi\n', ['a'], 'k', 'v')).toBe('a:\n  script: |\n    echo hi\n  k: v\n');
    expect(insert('a:\n  b: 1', ['a'], 'k', 'v')).toBe('a:\n  b: 1\n  k: v');
  });

  it('writes into flow mappings in flow style, quoting keys the way the mapping does', () => {
    expect(insert('r: {attempts: 3, retryOn: 5xx}\n', ['r'], 'perTryTimeout', '10s')).toBe('r: {attempts: 3, retryOn: 5xx, perTryTimeout: 10s}\n');
    expect(insert('r: {}\n', ['r'], 'timeouts', { key: 'request', value: '300s' })).toBe('r: {timeouts: {request: 300s}}\n');
    expect(insert('{"r": {"a": "1"}}\n', ['r'], 'timeouts', { key: 'request', value: '300s' })).toBe('{"r": {"a": "1", "timeouts": {"request": "300s"}}}\n');
  });
});

describe('replaceValueEdit', () => {
  const source = (text: string) => ({ file: 'f.yaml', text, eol: '\n' as const });
  const span = (text: string, token: string) => ({ file: 'f.yaml', start: text.indexOf(token), end: text.indexOf(token) + token.length });

  it.each([
    ['t: "1.5s"\n', '"1.5s"', '1s500ms', 't: "1s500ms"\n'],
    ["t: '1.5s'\n", "'1.5s'", '1s500ms', "t: '1s500ms'\n"],
    ['t: 1.5s\n', '1.5s', '1s500ms', 't: 1s500ms\n'],
  ])('keeps the quotes of %j', (text, token, value, expected) => {
    expect(applyEdits(text, [replaceValueEdit(source(text), span(text, token), value)!]).text).toBe(expected);
  });

  it('quotes a plain value that would split a flow mapping, and leaves block scalars alone', () => {
    const text = 'r: {retryOn: 5xx}\n';
    expect(applyEdits(text, [replaceValueEdit(source(text), span(text, '5xx'), '5xx,gateway-error', { flowContext: true })!]).text).toBe('r: {retryOn: "5xx,gateway-error"}\n');
    const block = 't: |\n  1.5s\n';
    expect(replaceValueEdit(source(block), span(block, '|\n  1.5s\n'), '1s500ms')).toBeUndefined();
  });
});
