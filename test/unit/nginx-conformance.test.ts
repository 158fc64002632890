// Checks the nginx parser against crossplane on the shared conformance corpus (../shared/conformance/nginx, never copied here).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NginxConfig, NginxDirective, NginxNode } from '../../server/src/engine/inputs/nginx/ast.js';
import { toCrossplanePayload, type CrossplanePayload } from '../../server/src/engine/inputs/nginx/crossplane.js';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { LineIndex } from '../../server/src/engine/text.js';
import { loadFixture } from '../helpers/fixture-fs.js';

const CORPUS = process.env.NGINX_CONFORMANCE_DIR ?? path.resolve(__dirname, '../../../shared/conformance/nginx');

interface CaseJson {
  name: string;
  entry: string;
  deviation: string;
}

type ErrorClass = 'syntax' | 'include';

/**
 * Where our tree or problems deliberately differ from crossplane. The payload still reproduces
 * crossplane exactly in every case (asserted for all cases); each entry here asserts OUR result,
 * with the reason. Cases whose `deviation` is set in case.json but that we handle exactly like
 * crossplane need no entry.
 */
const DEVIATIONS: Record<string, { reason: string; check: (config: NginxConfig) => void }> = {
  'edge-param-expansion': {
    reason: 'nginx ends a token at the whitespace after "${A}"; crossplane glues the space and the next word into it.',
    check: (config) => expect(argsOf(config, 'add_header', 'X-Glued')).toStrictEqual(['X-Glued', '${A}', 'next']),
  },
  'cp-messy': {
    reason: 'try_files gets two arguments after "${uri}" as in nginx; crossplane glues them into one.',
    check: (config) => expect(argsOf(config, 'try_files')).toStrictEqual(['/abc/${uri}', '/abc/${uri}.html', '=404']),
  },
  'rw-frappe-envsubst-template': {
    reason: '"server ${BACKEND} fail_timeout=0;" has two arguments, as nginx sees them after envsubst; crossplane glues them.',
    check: (config) => expect(argsOf(config, 'server', '${BACKEND}')).toStrictEqual(['${BACKEND}', 'fail_timeout=0']),
  },
  'go-broken1': {
    reason: 'an unterminated "${url" stops at the space without gluing it, as nginx would.',
    check: (config) => expect(argsOf(config, 'server_name')).toStrictEqual(['${url']),
  },
  'edge-lua-long-bracket': {
    reason: 'Lua long brackets are understood as OpenResty does, so the file parses without error.',
    check: (config) => {
      expect(config.problems).toStrictEqual([]);
      expect(argsOf(config, 'listen')).toStrictEqual(['80']);
    },
  },
  'edge-eof-without-semicolon': {
    reason: 'the unterminated last statement is kept and reported with nginx\'s message at its last token (crossplane: empty message, line null, empty tree).',
    check: (config) => {
      expect(config.problems.map((p) => [p.message, lineOf(config, p.span.file, p.span.start)])).toStrictEqual([
        ['unexpected end of file, expecting ";" or "}"', 3],
      ]);
      expect(argsOf(config, 'worker_processes')).toStrictEqual(['2']);
    },
  },
  'edge-bom': {
    reason: 'the BOM is stripped from our text (spans agree with editors), so the first directive is "user", not "\\ufeffuser".',
    check: (config) => expect(config.files[0]!.nodes[0]).toMatchObject({ type: 'directive', name: 'user' }),
  },
  'cp-missing-semicolon-above': {
    reason: 'the "}" that ends proxy_pass without ";" is reported and still closes its location, as the author meant (nginx: unexpected "}"); crossplane nests the next location inside.',
    check: (config) => {
      expect(config.problems.map((p) => p.message)).toStrictEqual(['missing ";" before "}"']);
      const server = findDirectives(config.files[0]!.nodes, 'server')[0]!;
      expect(server.block!.filter((n) => n.type === 'directive').map((n) => (n as NginxDirective).args[0]!.value)).toStrictEqual([
        '/is-broken', '/not-broken',
      ]);
    },
  },
};

// Cases whose case.json names a crossplane/nginx difference that we deliberately share with
// crossplane, so they need no entry above: quote adjacency ("left"-quote is two arguments;
// cp-quote-behavior, edge-quoting-escapes), escapes kept as written (edge-quoting-escapes; the
// AST documents crossplane's values), a lone CR ending a line (edge-crlf-and-cr; our LineIndex
// counts it too) and Unicode whitespace between arguments (edge-unicode-whitespace).

const cases = fs.existsSync(CORPUS)
  ? fs.readdirSync(CORPUS).filter((name) => fs.existsSync(path.join(CORPUS, name, 'case.json'))).sort()
  : [];
if (cases.length === 0) {
  console.log('SKIPPED: ../shared/conformance/nginx not found');
}

const passed: string[] = [];

describe.skipIf(cases.length === 0)('nginx conformance with crossplane', () => {
  afterAll(() => {
      console.log(`conformance: ${passed.length}/${cases.length}`);
  });

  it.each(cases)('%s', (name) => {
    const dir = path.join(CORPUS, name);
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseJson;
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.syntax.json'), 'utf8')) as CrossplanePayload;
    const { fs: workspace } = loadFixture(path.join(dir, 'config'));
    const config = parseNginxConfig(workspace, info.entry, { absoluteIncludePrefix: undefined });
    const payload = toCrossplanePayload(config, workspace);

    // The payload reproduces crossplane exactly: files, trees (failed files have parsed []) and errors.
    expect(payload.config.map((c) => c.file)).toStrictEqual(expected.config.map((c) => c.file));
    for (const [i, entry] of expected.config.entries()) {
      expect(payload.config[i]!.parsed, entry.file).toStrictEqual(entry.parsed);
    }
    expect(payload.errors.map(classify)).toStrictEqual(expected.errors.map(classify));
    expect(payload.errors).toStrictEqual(expected.errors);
    expect(payload.status).toBe(expected.status);

    // Where crossplane threw a file's tree away, ours keeps what it could read.
    for (const entry of expected.config.filter((c) => c.status === 'failed' && c.parsed.length === 0)) {
      const ours = config.files.find((f) => f.file === path.posix.normalize(entry.file));
      if (ours && /[^\s#]/.test(stripComments(ours.text))) expect(ours.nodes.length, entry.file).toBeGreaterThan(0);
    }

    checkProblems(config, expected);
    const deviation = DEVIATIONS[name];
    if (deviation) {
      expect(deviation.reason).not.toBe('');
      deviation.check(config);
    }
    passed.push(name);
  });

  it('lists deviations only for cases that exist', () => {
    for (const name of Object.keys(DEVIATIONS)) expect(cases, name).toContain(name);
  });
});

/**
 * Our problems against crossplane's errors. Allowed differences, all by design:
 * - after crossplane's first syntax error in a file we keep parsing, and may report more
 *   problems there, and in files crossplane never reached because of it;
 * - an unclosed block is reported at its opening "{", crossplane at the file's last token;
 * - a statement cut off by the end of the file is reported at its last token (crossplane: line null);
 * - a missing ";" before "}" is reported (crossplane with the analyzer off says nothing);
 * - an include that climbs out of the workspace is reported and not read (crossplane reads the disk);
 * - Lua long brackets are understood, as OpenResty does, so crossplane's error about them is not ours;
 * - where nginx accepts less than crossplane (a BOM, Unicode whitespace, a comment ended by a lone CR),
 *   we report what nginx rejects;
 * - the DEVIATIONS table above.
 */
function checkProblems(config: NginxConfig, expected: CrossplanePayload): void {
  const ours = config.problems.map((p) => ({
    file: p.span.file,
    line: lineOf(config, p.span.file, p.span.start),
    kind: p.kind,
    message: p.message,
  }));
  const normalize = (file: string) => path.posix.normalize(file);
  const readByCrossplane = new Set(expected.config.map((c) => normalize(c.file)));
  const failedBySyntax = new Set(expected.errors.filter((e) => classify(e).class === 'syntax').map((e) => normalize(e.file)));
  for (const error of expected.errors) {
    const { class: kind } = classify(error);
    const file = normalize(error.file);
    const atEof = error.error === '' || error.error.startsWith('unexpected end of file');
    const match = ours.find((p) => p.file === file && p.kind === kind && (atEof || p.line === error.line));
    const text = config.files.find((f) => f.file === file)?.text ?? '';
    if (!match && kind === 'syntax' && /\[=*\[/.test(text) && !ours.some((p) => p.file === file)) continue;
    expect(match, `${error.file}:${error.line} ${error.error}`).toBeDefined();
    if (kind === 'include') expect(match!.message).toBe(error.error);
  }
  for (const problem of ours) {
    const explained =
      expected.errors.some((e) => normalize(e.file) === problem.file && classify(e).class === problem.kind) ||
      failedBySyntax.has(problem.file) ||
      !readByCrossplane.has(problem.file) ||
      problem.message === 'missing ";" before "}"' ||
      NGINX_STRICTER.test(problem.message) ||
      (problem.kind === 'include' && problem.message.endsWith('points outside the workspace; it was not read')) ||
      // crossplane globs the machine's own /etc/nginx; the linter says the container folder is not in the workspace.
      (problem.kind === 'include' && problem.message.endsWith('names a folder inside the nginx container'));
    expect(explained, `unexpected problem ${problem.file}:${problem.line} ${problem.message}`).toBe(true);
  }
}

/** Problems for input crossplane accepts and nginx does not (see the lexer and parseNginxText). */
const NGINX_STRICTER = /^(the file starts with a UTF-8 byte order mark|nginx does not read U\+[0-9A-F]{4}|nginx ends a comment only at a line feed)/;

function classify(error: { file: string; line: number | null; error: string }): { file: string; line: number | null; class: ErrorClass } {
  return { file: error.file, line: error.line, class: error.error.startsWith('[Errno') ? 'include' : 'syntax' };
}

function lineOf(config: NginxConfig, file: string, offset: number): number {
  const text = config.files.find((f) => f.file === file)?.text ?? '';
  return new LineIndex(text).positionAt(offset).line + 1;
}

function stripComments(text: string): string {
  return text.replace(/#[^\n\r]*/g, '');
}

function findDirectives(nodes: NginxNode[], name: string): NginxDirective[] {
  const found: NginxDirective[] = [];
  for (const node of nodes) {
    if (node.type !== 'directive') continue;
    if (node.name === name) found.push(node);
    if (node.block) found.push(...findDirectives(node.block, name));
  }
  return found;
}

/** Arguments of the first `name` directive (whose first argument is `first`, if given) in any file. */
function argsOf(config: NginxConfig, name: string, first?: string): string[] | undefined {
  for (const file of config.files) {
    const d = findDirectives(file.nodes, name).find((x) => first === undefined || x.args[0]?.value === first);
    if (d) return d.args.map((a) => a.value);
  }
  return undefined;
}
