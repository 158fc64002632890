// Property tests for the HAProxy parser and model: they never throw, and every span lies inside the text, in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HaproxyFile, HaproxyWord } from '../../server/src/engine/inputs/haproxy/ast.js';
import { frontendsOf, pathPrefixOf, routesOf, routesUpgrades } from '../../server/src/engine/inputs/haproxy/backends.js';
import { buildHaproxyModel } from '../../server/src/engine/inputs/haproxy/facts.js';
import { haproxyHop } from '../../server/src/engine/inputs/haproxy/hops.js';
import { parseHaproxy } from '../../server/src/engine/inputs/haproxy/parse.js';
import type { Span } from '../../server/src/engine/types.js';

/** Pieces that stress the line reader: quotes, escapes, variables, directives, comments, odd whitespace and line ends. */
const PIECES = [
  'global', 'defaults', 'defaults base', 'frontend web', 'backend api', 'listen l', 'from', 'base', 'timeout', 'server', 'client',
  'connect', 'tunnel', '30s', '30', '1.5s', '0', 'retries', 'option', 'redispatch', 'no', 'default', 'bind', ':80', '*:443',
  'server a1', 'api:3000', 'check', 'backup', 'default-server', 'use_backend', 'if', 'unless', '{', '}', 'acl', 'mode http',
  '.if', '.elif', '.else', '.endif', '.notice', '1', 'defined(X)', '"', "'", '\\', '\\x4', '\\x41', '#', '#c\n', '$', '${', '${A}',
  '${A-1s}', '${A[*]}', '"${B}"', '"$A"', '\n', '\r\n', '\r', ' ', '\t', '\v', '\u00a0', '\u0000', 'ü', '😀', '[scope]', '%[x]',
];

const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((parts) => parts.join(' '));
const glued = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((parts) => parts.join(''));
const env = fc.dictionary(fc.constantFrom('A', 'B', 'X'), fc.constantFrom('', '1s', 'a b  c', '${A}', '"'));

function inside(file: HaproxyFile, span: Span, what: string): void {
  expect(span.file, what).toBe(file.file);
  expect(span.start, what).toBeGreaterThanOrEqual(0);
  expect(span.end, what).toBeGreaterThanOrEqual(span.start);
  expect(span.end, what).toBeLessThanOrEqual(file.text.length);
}

function checkFile(file: HaproxyFile): void {
  let previous = -1;
  const words = (ws: HaproxyWord[]) => {
    let last = -1;
    for (const w of ws) {
      inside(file, w.span, `word ${w.value}`);
      expect(w.span.start, 'words in order').toBeGreaterThanOrEqual(last);
      last = w.span.start;
    }
  };
  for (const section of file.sections) {
    inside(file, section.span, 'section');
    expect(section.span.start, 'sections in order').toBeGreaterThan(previous);
    previous = section.span.start;
    for (const statement of section.statements) {
      inside(file, statement.span, 'statement');
      expect(statement.span.start).toBeGreaterThanOrEqual(section.span.start);
      expect(statement.span.end).toBeLessThanOrEqual(section.span.end);
      words(statement.words);
    }
  }
  for (const problem of file.problems) inside(file, problem.span, `problem ${problem.message}`);
  for (const comment of file.comments) expect(file.text[comment.start]).toBe('#');
}

describe('HAProxy parser properties', () => {
  it('never throws and keeps every span inside the text, in order', () => {
    fc.assert(
      fc.property(fc.oneof(soup, glued, fc.string({ maxLength: 200 })), env, (text, vars) => {
        const file = parseHaproxy('haproxy.cfg', text, { env: new Map(Object.entries(vars)) });
        checkFile(file);
        const model = buildHaproxyModel([file]);
        for (const problem of model.problems) inside(file, problem.span, problem.message);
        for (const proxy of model.proxies) {
          for (const setting of Object.values(proxy.timeouts)) {
            if (setting?.valueSpan) inside(file, setting.valueSpan, 'value');
            // A value is known, or the reason it is not is given.
            expect(setting!.value !== undefined || setting!.unknown !== undefined).toBe(true);
          }
        }
        // Routes and hops are made from whatever the model holds, without throwing.
        for (const frontend of frontendsOf(model)) {
          for (const route of routesOf(model, frontend)) {
            pathPrefixOf(route);
            if (route.rule) routesUpgrades(route.rule, frontend.acls);
            if (route.backend) expect(haproxyHop(model, route, route.backend, undefined).kind).toBe('haproxy-backend');
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('reads a file of about a million characters', () => {
    const text = 'backend api\n' + '  timeout server 30s # x\n  server a "b:1" check\n'.repeat(20_000);
    const file = parseHaproxy('haproxy.cfg', text);
    expect(file.sections[0]!.statements).toHaveLength(40_000);
    expect(buildHaproxyModel([file]).proxies[0]!.servers).toHaveLength(20_000);
  });
});
