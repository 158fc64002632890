// The fast block reader builds exactly the nodes the yaml package composes (ranges, values, types,
// flow flags, document ranges and markers), on every YAML text of the repository, on the bench's
// generated manifests, on hand-written edge cases and on mutations of all of them; and it gives up
// on everything outside its subset, so the yaml package still reads (and reports) those.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { generateWorkspace } from '../../bench/generate.js';
import { readPlainBlockYaml } from '../../server/src/engine/yaml/block-reader.js';
import { parseYamlFile } from '../../server/src/engine/yaml/file.js';

const OPTIONS = { prettyErrors: false, keepSourceTokens: false, uniqueKeys: false } as const;
// YAML_READER_FUZZ_RUNS=20 multiplies the mutation runs for a longer local search.
const RUNS = Math.max(1, Number(process.env.YAML_READER_FUZZ_RUNS ?? 1));
// YAML_READER_FUZZ_SEED=<n> searches other mutations than the fixed default.
const SEED = Number(process.env.YAML_READER_FUZZ_SEED ?? 20261207);

/** Everything of a node the engine can read, comments left out (the reader does not attach them). */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isPair(node)) return { key: shape(node.key), value: shape(node.value) };
  if (isScalar(node)) {
    const value = typeof node.value === 'number' && Number.isNaN(node.value) ? 'NaN' : typeof node.value === 'bigint' ? String(node.value) : node.value;
    return { class: 'Scalar', range: node.range, value, type: node.type, source: node.source, format: node.format, minFractionDigits: node.minFractionDigits, tag: node.tag, anchor: node.anchor };
  }
  if (isMap(node) || isSeq(node)) return { class: isMap(node) ? 'YAMLMap' : 'YAMLSeq', range: node.range, flow: node.flow, tag: node.tag, anchor: node.anchor, items: node.items.map(shape) };
  throw new Error(`unexpected node ${String(node)}`);
}

function documentShape(document: Document.Parsed): unknown {
  return { range: document.range, errors: document.errors.length, warnings: document.warnings.length, docStart: document.directives.docStart, docEnd: document.directives.docEnd, contents: shape(document.contents) };
}

/** Whether the reader read the text, and if it did, that it matched the yaml package. */
function agrees(text: string): boolean {
  const fast = readPlainBlockYaml(text, OPTIONS);
  if (!fast) return false;
  const composed = parseAllDocuments(text, OPTIONS);
  expect(fast.map(documentShape), JSON.stringify(text)).toEqual((Array.isArray(composed) ? composed : []).map(documentShape));
  return true;
}

function yamlFilesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yamlFilesUnder(full, out);
    else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

const ROOT = path.resolve(__dirname, '../..');
const REPOSITORY_YAML = [...yamlFilesUnder(path.join(ROOT, 'test')), ...yamlFilesUnder(path.join(ROOT, 'examples'))].map((file) => ({ file: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') }));

const EDGE_CASES = [
  'a: 1\n',
  'a: 1',
  'a: 1\n\n',
  'a:\n',
  'a:\n\n',
  'a:   \nb: 1\n',
  'a: # note\nb: 1\n',
  'a: # note\n\n  b: 1\n',
  'a: # note\n---\nb: 1\n',
  'a: 1\n# c\n',
  'a: 1\n\n# c\n\n---\nb: 1\n',
  '# lead\n\na: 1\n',
  '\n\na: 1\n',
  '---\na: 1\n',
  '--- \na: 1\n',
  '# c\n---\na: 1\n---\nb: 2\n',
  '  a: 1\n  b: 2\n',
  'k:\n- a\n- b\nl: 2\n',
  'k:\n  - a\n  -\n  - x: 1\n    y: "q"\n',
  'a:\n  b:\n    c: 1\n  # mid\n  d: 2\n',
  'a:\n  # before b\n  b: 1\n',
  'list:\n- name: x\n  value: 1\n- name: y\n',
  'a: []\nb: {}\nc: [] # empty\n',
  "a: 'it''s'\nb: \"x y\" # c\nc: ''\n",
  'n: ~\nm: null\nb: true\nc: False\nd: yes\ne: 0x1F\nf: 0o17\ng: 1e3\nh: .5\ni: -1\nj: 1.50\nk: .inf\nl: -.Inf\nm2: .nan\no: 08\np: 1_000\nq: 12:30\n',
  'image: nginx:1.25\nurl: http://api:80/x\nhash: a#b\n',
  '80: http\ntrue: yes\nnull: x\n',
  'a: 1\n---\nb: 2\n',
  'a:\n---\nb: 1\n',
  'a:\n-\n\n',
  'conf: |\n  server {\n    listen 80;  # a comment is text here\n  }\nnext: 1\n',
  'a: |-\n  x\n\n  y\n\nb: 1\n',
  'a: |\n  x\n\n\nb: 1\n',
  'a: | # note\n  x\nb: 1\n',
  'a: |\n  x\n    deeper\n  z\n',
  'a: |\n  x',
  'a: |-\n  x\n',
  'k:\n  - |\n    line one\n    line two\n  - z\n',
  'data:\n  nginx.conf: |\n    location / {\n      proxy_read_timeout 300s;\n    }\n---\nb: 1\n',
  'res: { cpu: 100m, memory: "256Mi" }   # c\nnext: 1\n',
  'args: ["--port", 8080, true, \'x\']\n',
  'a:\n  - { x: 1 }\n  - [ y ]\n  - [-1, 0x1F, ~, null, 1e3]\n',
  'm: {a: 1,b: 2}\nn: [a,b, c]\n',
  'command: [node, dist/server.js]\nports: [80, 443]\n',
  'k: {true: yes, 80: http, url: x y}\n',
  'last: [a]',
];

const GIVES_UP = [
  ['an empty text', ''],
  ['only comments', '# a\n# b\n'],
  ['an empty document', 'a: 1\n---\n'],
  ['a document end marker', 'a: 1\n...\n'],
  ['a directive', '%YAML 1.2\n---\na: 1\n'],
  ['content on the --- line', '--- a: 1\n'],
  ['a root scalar', 'hello\n'],
  ['a tab', 'a:\t1\n'],
  ['CR line ends', 'a: 1\r\nb: 2\r\n'],
  ['a byte order mark', '\ufeffa: 1\n'],
  ['a keep-chomping block scalar', 'a: |+\n  text\n\n'],
  ['a block scalar with an indentation digit', 'a: |2\n   text\n'],
  ['an empty block scalar', 'a: |\nb: 1\n'],
  ['a blank line before a block scalar\'s text', 'a: |\n\n  text\n'],
  ['a line of spaces in a block scalar', 'a: |\n  x\n     \n  y\n'],
  ['a folded scalar', 'a: >-\n  text\n'],
  ['a multi-line plain scalar', 'a: one\n  two\n'],
  ['a flow mapping over two lines', 'a: {b: 1,\n  c: 2}\n'],
  ['a flow sequence over two lines', 'a: [1,\n  2]\n'],
  ['a nested flow collection', 'a: [[1], 2]\n'],
  ['a flow mapping in a flow sequence', 'a: [{b: 1}]\n'],
  ['a trailing comma', 'a: [1, 2,]\n'],
  ['spaces before a comma', 'a: [1 , 2]\n'],
  ['an empty flow entry', 'a: [1, , 2]\n'],
  ['a flow mapping entry without a value', 'a: {b}\n'],
  ['a flow mapping key without a space after its colon', 'a: {b:1}\n'],
  ['a quoted flow mapping key', 'a: {"b": 1}\n'],
  ['a colon in a flow item', 'a: [http://x]\n'],
  ['a single-pair mapping in a flow sequence', 'a: [b: 1]\n'],
  ['a comment inside a flow collection', 'a: [1 #c\n  ]\n'],
  ['a flow collection with spaces only', 'a: { }\n'],
  ['text after a flow collection', 'a: [1] b\n'],
  ['an anchor', 'a: &x 1\nb: *x\n'],
  ['a tag', 'a: !!str 1\n'],
  ['a quoted key', '"a": 1\n'],
  ['an escape in a double-quoted scalar', 'a: "x\\ny"\n'],
  ['a quoted scalar over two lines', 'a: "x\n  y"\n'],
  ['a complex key', '? a\n: 1\n'],
  ['a compact nested sequence', '- - a\n'],
  ['a mapping value after a value', 'a: b: c\n'],
  ['a space before the colon', 'a : 1\n'],
  ['a comment that attaches to a scalar', 'a: 1\n  # deeper\nb: 2\n'],
  ['a comment at the end of a nested mapping', 'a:\n  b: 1\n  # end of a\nc: 2\n'],
  ['a comment after a bare null', 'a:\n# c\nb: 1\n'],
  ['blank lines after a commented null', 'a: # note\n\n'],
  ['a comment line before a bare null', 'k:\n  - a\n  # c\n  -\n  - x: 1\n'],
  ['a comment after a sequence at its key\'s column', 'x:\n  a:\n  - 1\n  # c\n  b: 2\n'],
  ['text after a closing quote', 'a: "x"y\n'],
  ['inconsistent indentation', 'a:\n    b: 1\n  c: 2\n'],
  ['a sequence entry after a scalar value', 'a: 1\n- b\n'],
] as const;

describe('readPlainBlockYaml', () => {
  it('reads the hand-written edge cases exactly as the yaml package composes them', () => {
    for (const text of EDGE_CASES) expect(agrees(text), JSON.stringify(text)).toBe(true);
  });

  it.each(GIVES_UP)('gives up on %s', (_what, text) => {
    expect(readPlainBlockYaml(text, OPTIONS)).toBeUndefined();
  });

  it('agrees with the yaml package on every YAML file of the repository it reads, and reads most of them', () => {
    expect(REPOSITORY_YAML.length).toBeGreaterThan(100);
    let read = 0;
    for (const { text } of REPOSITORY_YAML) if (agrees(text)) read++;
    // The subset is what manifests are mostly written in; fixtures about templates, anchors and broken YAML are not.
    expect(read / REPOSITORY_YAML.length).toBeGreaterThan(0.5);
  });

  it('reads every manifest the bench generates, exactly as the yaml package does', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-yaml-reader-'));
    try {
      const workspace = generateWorkspace(root, 400);
      const yaml = [...workspace.files].filter(([, kind]) => kind === 'yaml').map(([file]) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
      const manifests = yaml.filter(({ file }) => /\/k8s\//.test(file));
      expect(manifests.length).toBeGreaterThan(20);
      // Every Kubernetes manifest is read by the reader; the CI files' flow sequences are left to the yaml package.
      for (const { text } of manifests) expect(agrees(text)).toBe(true);
      for (const { text } of yaml) agrees(text);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('agrees with the yaml package on mutated texts (blank and comment lines, values, indentation, separators)', () => {
    const seeds = [...EDGE_CASES, ...REPOSITORY_YAML.map((f) => f.text).filter((t) => t.length < 4000)];
    const values = ['', "''", '"x y"', '[]', '{}', '~', '0x1F', '1.50', '.nan', 'yes', '08', 'a:b', 'a #b', 'a# b', '-x', '- x', '?x', '"a\\"b"', "'a", '&a x', '*a', '|', 'x: y', '{a: 1}', 'ä', '#x', 'x  # c'];
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('blank' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('comment' as const), at: fc.nat(), indent: fc.nat({ max: 8 }) }),
      fc.record({ kind: fc.constant('trailing' as const), at: fc.nat(), text: fc.constantFrom(' ', '  ', ' # note') }),
      fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: fc.constantFrom(...values) }),
      fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), more: fc.boolean() }),
      fc.record({ kind: fc.constant('separator' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('end' as const), how: fc.constantFrom('strip', 'blank', 'comment', '---') }),
    );
    let read = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        let lines = seed.split('\n');
        for (const m of mutations) {
          const at = 'at' in m ? m.at % (lines.length + 1) : 0;
          if (m.kind === 'blank') lines.splice(at, 0, '');
          else if (m.kind === 'comment') lines.splice(at, 0, `${' '.repeat(m.indent)}# c`);
          else if (m.kind === 'trailing' && at < lines.length) lines[at] += m.text;
          else if (m.kind === 'value' && at < lines.length) lines[at] = lines[at]!.replace(/^(\s*(?:- )?[^:#'"\s][^:#'"]*:)(?: .*)?$/, (_all, key: string) => (m.value ? `${key} ${m.value}` : key));
          else if (m.kind === 'indent' && at < lines.length) lines[at] = m.more ? ` ${lines[at]}` : lines[at]!.replace(/^ /, '');
          else if (m.kind === 'separator') lines.splice(at, 0, '---');
          else if (m.kind === 'end') {
            const text = lines.join('\n');
            lines = (m.how === 'strip' ? text.replace(/\n+$/, '') : m.how === 'blank' ? `${text}\n\n` : m.how === 'comment' ? `${text}\n# end\n` : `${text}\n---\n`).split('\n');
          }
        }
        if (agrees(lines.join('\n'))) read++;
      }),
      { numRuns: 3000 * RUNS, seed: SEED },
    );
    expect(read).toBeGreaterThan(300);
  }, 30_000 * RUNS);
});

describe('parseYamlFile with the block reader', () => {
  it('reads a manifest the reader takes and one it leaves to the yaml package alike', () => {
    const plain = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n    - port: 80\n';
    const flow = 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  ports: [{port: 80}]\n';
    expect(readPlainBlockYaml(plain, OPTIONS)).toBeDefined();
    expect(readPlainBlockYaml(flow, OPTIONS)).toBeUndefined();
    const a = parseYamlFile('a.yaml', plain);
    const b = parseYamlFile('b.yaml', flow);
    expect(a.objects.map((o) => [o.kind, o.name?.text])).toEqual([['Service', 'api']]);
    expect(b.objects.map((o) => [o.kind, o.name?.text])).toEqual([['Service', 'api']]);
  });

  it('still reports duplicate keys and broken YAML (the reader leaves errors to the yaml package)', () => {
    expect(parseYamlFile('d.yaml', 'a: 1\na: 2\n').documents[0]?.document.errors[0]?.code).toBe('DUPLICATE_KEY');
    expect(parseYamlFile('e.yaml', 'a: b: c\n').problems[0]?.kind).toBe('syntax');
  });
});
