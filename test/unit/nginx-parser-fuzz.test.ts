// Property tests for the nginx parser: it never throws, and every span lies inside the text, in order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_DEPTH, type NginxFile, type NginxNode } from '../../server/src/engine/inputs/nginx/ast.js';
import { toCrossplanePayload } from '../../server/src/engine/inputs/nginx/crossplane.js';
import { parseNginxConfig, parseNginxText } from '../../server/src/engine/inputs/nginx/parser.js';
import type { Span } from '../../server/src/engine/types.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const CORPUS = path.resolve(__dirname, '../../../shared/conformance/nginx');

/** Pieces that stress the lexer: quotes, escapes, `${`, Lua, comments, odd whitespace and line ends. */
const PIECES = [
  'http', 'server', 'location /', 'include', 'a.conf', 'sub/*.conf', 'if', '(', ')', '$x', '${', '${A}', '}', '{', ';',
  '"', "'", '\\', '#', '#c\n', '\n', '\r\n', '\r', ' ', '\t', '\u00a0', '\u3000', '\u001f', '\ufeff', '\u0000', 'ü', '😀',
  'content_by_lua_block', 'set_by_lua_block', '--', '[[', ']]', '[=[', '"x y"', "'q'", '\\"', '\\\n', 'proxy_read_timeout 30s;',
  'foo', 'bar', '=', 'a#b',
];

const tokenSoup = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));

/** Real configs to mutate: the conformance corpus when it is there, a built-in sample otherwise. */
function seedConfigs(): string[] {
  const sample = [
    'http {\n  server {\n    listen 80;\n    location /api/ { proxy_pass http://api; proxy_read_timeout 30s; }\n  }\n}\n',
    'content_by_lua_block {\n  ngx.say("}") -- }\n}\nif ($a = "b") { return 403; }\n# done\n',
  ];
  if (!fs.existsSync(CORPUS)) return sample;
  const found: string[] = [];
  for (const name of fs.readdirSync(CORPUS).sort()) {
    const dir = path.join(CORPUS, name, 'config');
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile()) found.push(fs.readFileSync(path.join(dir, entry.name), 'utf8'));
    }
  }
  return found.length > 0 ? found : sample;
}

const mutatedConfig = fc
  .tuple(
    fc.constantFrom(...seedConfigs()),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...PIECES)), { maxLength: 8 }),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [at, remove, insert] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + remove);
    }
    return out;
  });

/** Spans inside the text; siblings in order; arguments after their name; children inside their block. */
function checkSpans(file: NginxFile): void {
  const n = file.text.length;
  const inside = (span: Span, what: string) => {
    expect(span.file, what).toBe(file.file);
    expect(0 <= span.start && span.start <= span.end && span.end <= n, `${what} ${span.start}-${span.end} of ${n}`).toBe(true);
  };
  const walk = (nodes: NginxNode[], low: number, high: number): void => {
    let previousEnd = low;
    let owner: { start: number; end: number } | undefined;
    for (const node of nodes) {
      inside(node.span, 'node');
      if (node.type === 'comment') {
        if (node.betweenArgs) {
          expect(owner && node.span.start >= owner.start && node.span.end <= owner.end, 'comment inside its directive').toBe(true);
        } else {
          expect(node.span.start, 'comment after previous sibling').toBeGreaterThanOrEqual(previousEnd);
          previousEnd = node.span.end;
        }
        expect(node.span.end).toBeLessThanOrEqual(high);
        continue;
      }
      inside(node.nameSpan, 'name');
      expect(node.span.start, 'directive after previous sibling').toBeGreaterThanOrEqual(previousEnd);
      expect(node.nameSpan.start).toBe(node.span.start);
      let tokenEnd = node.nameSpan.end;
      for (const arg of node.args) {
        inside(arg.span, 'arg');
        expect(arg.span.start, 'args in order').toBeGreaterThanOrEqual(tokenEnd);
        tokenEnd = arg.span.end;
      }
      expect(node.span.end, 'span covers the arguments').toBeGreaterThanOrEqual(tokenEnd);
      expect(node.span.end).toBeLessThanOrEqual(high);
      if (node.block) {
        expect(node.terminator).toBe('{');
        expect(node.blockOpen!).toBeGreaterThanOrEqual(tokenEnd);
        const close = node.blockClose ?? node.span.end;
        if (node.blockClose !== undefined) expect(node.span.end).toBe(node.blockClose + 1);
        walk(node.block, node.blockOpen! + 1, close);
      }
      owner = node.span;
      previousEnd = node.span.end;
    }
  };
  walk(file.nodes, 0, n);
  for (const problem of file.problems) inside(problem.span, 'problem');
}

function checkText(text: string): void {
  const file = parseNginxText('nginx.conf', text);
  checkSpans(file);
  // The whole pipeline, including includes and the crossplane re-parse, never throws either.
  const workspace = new MemoryFs({ 'nginx.conf': text, 'a.conf': text.slice(0, 200), 'sub/b.conf': 'listen 1;' });
  const config = parseNginxConfig(workspace, 'nginx.conf');
  for (const f of config.files) checkSpans(f);
  expect(() => toCrossplanePayload(config, workspace)).not.toThrow();
}

describe('nginx parser properties', () => {
  it('never throws on arbitrary text, and its spans are sound', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkText), { numRuns: 300 });
  });

  it('never throws on soups of tricky tokens, and its spans are sound', () => {
    fc.assert(fc.property(tokenSoup, checkText), { numRuns: 500 });
  });

  it('never throws on mutated real configs, and its spans are sound', () => {
    fc.assert(fc.property(mutatedConfig, checkText), { numRuns: 300 });
  });

  it('survives deep nesting without overflowing the stack, keeping MAX_BLOCK_DEPTH levels and reporting the rest', () => {
    const depth = 20_000;
    for (const text of [`${'a {'.repeat(depth)}${'}'.repeat(depth)}include x;`, 'a {'.repeat(depth)]) {
      const config = parseNginxConfig(new MemoryFs({ 'nginx.conf': text }), 'nginx.conf');
      let levels = 0;
      for (let nodes = config.files[0]!.nodes; nodes.length > 0; levels++) {
        const first = nodes[0]!;
        nodes = first.type === 'directive' ? first.block ?? [] : [];
      }
      expect(levels).toBe(MAX_BLOCK_DEPTH);
      expect(config.problems.filter((p) => p.kind === 'not-analysed').map((p) => p.span.start)).toEqual([3 * MAX_BLOCK_DEPTH]);
      // Only the first unclosed blocks are reported, not one problem per level.
      expect(config.problems.length).toBeLessThanOrEqual(MAX_BLOCK_DEPTH + 2);
    }
  });
});
