// The nginx parser: exact spans, recovery from broken input, line ends, encodings, Lua blocks and includes.
import { describe, expect, it } from 'vitest';
import type { NginxComment, NginxConfig, NginxDirective, NginxFile, NginxNode } from '../../server/src/engine/inputs/nginx/ast.js';
import { toCrossplanePayload } from '../../server/src/engine/inputs/nginx/crossplane.js';
import { parseNginxConfig, parseNginxText } from '../../server/src/engine/inputs/nginx/parser.js';
import { decodeText } from '../../server/src/engine/text.js';
import { MemoryFs, type WorkspaceFs } from '../../server/src/engine/workspace-fs.js';

const parse = (text: string): NginxFile => parseNginxText('nginx.conf', text);
const directives = (nodes: NginxNode[]): NginxDirective[] => nodes.filter((n): n is NginxDirective => n.type === 'directive');
const slice = (text: string, span: { start: number; end: number }): string => text.slice(span.start, span.end);
/** The directive tree as `name args…` strings, nested blocks as arrays. */
function shape(nodes: NginxNode[]): unknown[] {
  return nodes.map((n) =>
    n.type === 'comment' ? `#${n.text}` : n.block ? [[n.name, ...n.args.map((a) => a.value)].join(' '), shape(n.block)] : [n.name, ...n.args.map((a) => a.value)].join(' '));
}
const problemsOf = (file: NginxFile) => file.problems.map((p) => [p.message, slice(file.text, p.span)]);

describe('spans', () => {
  it('gives the name, each argument and the statement exact spans', () => {
    const text = 'proxy_read_timeout 30s;';
    const d = directives(parse(text).nodes)[0]!;
    expect(d.nameSpan).toStrictEqual({ file: 'nginx.conf', start: 0, end: 18 });
    expect(d.args).toStrictEqual([{ value: '30s', span: { file: 'nginx.conf', start: 19, end: 22 }, quote: null }]);
    expect(d.span).toStrictEqual({ file: 'nginx.conf', start: 0, end: 23 });
    expect(d).toMatchObject({ line: 1, terminator: ';' });
  });

  it.each([
    ['add_header X "a b";', 'a b', '"a b"', '"'],
    ["add_header X 'say \\'hi\\'';", "say 'hi'", "'say \\'hi\\''", "'"],
    ['add_header X "";', '', '""', '"'],
    ['add_header X a\\;b;', 'a\\;b', 'a\\;b', null],
  ])('%s: the span covers the token as written, the value is crossplane\'s', (text, value, written, quote) => {
    const arg = directives(parse(text).nodes)[0]!.args[1]!;
    expect([arg.value, slice(text, arg.span), arg.quote]).toStrictEqual([value, written, quote]);
  });

  it('records block braces and ends the span at the closing brace', () => {
    const text = 'http {\n    server { listen 80; }\n}\n';
    const http = directives(parse(text).nodes)[0]!;
    expect([http.blockOpen, http.blockClose, http.span.end]).toStrictEqual([5, 33, 34]);
    const server = directives(http.block!)[0]!;
    expect([slice(text, server.span), server.line, server.terminator]).toStrictEqual(['server { listen 80; }', 2, '{']);
  });

  it('keeps tabs as separators and counts them as one column each', () => {
    const text = '\tlisten\t80\t;';
    const d = directives(parse(text).nodes)[0]!;
    expect([d.nameSpan.start, d.args[0]!.span.start, d.span.end]).toStrictEqual([1, 8, 12]);
  });

  it('spans comments without the line break and flags those between arguments', () => {
    const text = 'log_format # two\r\n  main;  # after\r\n';
    const nodes = parse(text).nodes;
    const [between, after] = nodes.filter((n): n is NginxComment => n.type === 'comment');
    expect([between!.text, slice(text, between!.span), between!.line, between!.betweenArgs]).toStrictEqual([' two', '# two', 1, true]);
    expect([after!.text, after!.line, after!.betweenArgs]).toStrictEqual([' after', 2, undefined]);
  });
});

describe('line ends and encodings', () => {
  it.each([
    ['LF', 'a 1;\nb 2;\n'],
    ['CRLF', 'a 1;\r\nb 2;\r\n'],
    ['lone CR (crossplane counts it as a line end)', 'a 1;\rb 2;\r'],
  ])('%s: the second directive is on line 2', (_name, text) => {
    const b = directives(parse(text).nodes)[1]!;
    expect([b.name, b.line, b.nameSpan.start]).toStrictEqual(['b', 2, text.indexOf('b')]);
  });

  it('turns CRLF inside a quoted value into LF, as crossplane reads the file', () => {
    const d = directives(parse('add_header X "a\r\nb";').nodes)[0]!;
    expect(d.args[1]!.value).toBe('a\nb');
  });

  it('works on BOM-stripped text and gives crossplane its "\\ufeffuser"', () => {
    const fs = new MemoryFs({ 'nginx.conf': new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('user nginx;\n')]) });
    const config = parseNginxConfig(fs, 'nginx.conf');
    const file = config.files[0]!;
    expect([file.hadBom, file.text.charCodeAt(0), directives(file.nodes)[0]!.nameSpan.start]).toStrictEqual([true, 0x75, 0]);
    expect(toCrossplanePayload(config).config[0]!.parsed[0]!.directive).toBe('\ufeffuser');
  });

  it('reads invalid UTF-8 as U+FFFD through decodeText', () => {
    const decoded = decodeText(new Uint8Array([0x73, 0x65, 0x74, 0x20, 0x24, 0x78, 0x20, 0xff, 0x61, 0x3b]));
    const file = parseNginxText('x.conf', decoded.text);
    expect([decoded.hadInvalidUtf8, directives(file.nodes)[0]!.args[1]!.value]).toStrictEqual([true, '\ufffda']);
  });

  it('splits on Python whitespace (U+00A0, U+001F) but not on U+FEFF', () => {
    const d = directives(parse('add_header a\u00a0b c\u001fd e\ufefff;').nodes)[0]!;
    expect(d.args.map((a) => a.value)).toStrictEqual(['a', 'b', 'c', 'd', 'e\ufefff']);
  });
});

describe('broken input: problems and a partial tree', () => {
  it.each([
    {
      name: 'a stray "}" at top level is reported and skipped',
      text: 'user a;\n}\nevents {}\n',
      problems: [['unexpected "}"', '}']],
      tree: ['user a', ['events', []]],
    },
    {
      name: 'an unclosed block is reported at its opening and keeps its contents',
      text: 'http {\n  server {\n    listen 80;\n',
      problems: [['unexpected end of file, expecting "}" to close the "server" block', '{'], ['unexpected end of file, expecting "}" to close the "http" block', '{']],
      tree: [['http', [['server', ['listen 80']]]]],
    },
    {
      name: 'a last statement without ";" is reported and kept',
      text: 'events {}\nworker_processes 2',
      problems: [['unexpected end of file, expecting ";" or "}"', '2']],
      tree: [['events', []], 'worker_processes 2'],
    },
    {
      name: 'a missing ";" before "}" is reported and the "}" still closes the block',
      text: 'server {\n  location /a {\n    proxy_pass http://a\n  }\n  location /b { }\n}\n',
      problems: [['missing ";" before "}"', '}']],
      tree: [['server', [['location /a', ['proxy_pass http://a']], ['location /b', []]]]],
    },
    {
      name: 'a stray ";" is reported and skipped',
      text: 'proxy_pass x;;\nlisten 80;\n',
      problems: [['unexpected ";"', ';']],
      tree: ['proxy_pass x', 'listen 80'],
    },
    {
      name: 'a block without a directive keeps its statements in a nameless block',
      text: '{ listen 80; }\nuser a;\n',
      problems: [['unexpected "{"', '{']],
      tree: [['', ['listen 80']], 'user a'],
    },
    {
      name: 'an unterminated string is reported once, at its quote',
      text: 'http {\n  add_header X "oops;\n}\n',
      problems: [['unexpected end of file, expecting " to close the quoted string', '"']],
      tree: [['http', ['add_header X oops;\n}\n']]],
    },
    {
      name: 'a Lua block directive without a block is reported and read as a statement',
      text: 'content_by_lua_block return;\nuser a;\n',
      problems: [['expected "{" to start the Lua code of "content_by_lua_block"', 'r']],
      tree: ['content_by_lua_block return', 'user a'],
    },
    {
      name: 'statements after the first error are still read',
      text: '}\nhttp {\n  }\n  }\n  server { listen 1; }\n',
      problems: [['unexpected "}"', '}'], ['unexpected "}"', '}']],
      tree: [['http', []], ['server', ['listen 1']]],
    },
  ])('$name', ({ text, problems, tree }) => {
    const file = parse(text);
    expect(problemsOf(file)).toStrictEqual(problems);
    expect(file.problems.every((p) => p.kind === 'syntax')).toBe(true);
    expect(shape(file.nodes)).toStrictEqual(tree);
  });

  it('marks a statement cut off by the end of the file with a null terminator', () => {
    const d = directives(parse('worker_processes 2').nodes)[0]!;
    expect([d.terminator, d.span.end]).toStrictEqual([null, 18]);
  });

  it('points the missing-";" problem back at the directive that needs it', () => {
    const file = parse('server { return 200 }');
    expect(file.problems[0]!.related).toStrictEqual([{ span: directives(directives(file.nodes)[0]!.block!)[0]!.nameSpan, message: 'the "return" directive needs a ";"' }]);
  });
});

describe('a file that is not nginx at all', () => {
  it('keeps the first 1,000 syntax problems and says how many more there were, first', () => {
    const file = parseNginxText('junk.conf', ';'.repeat(5_000));
    expect(file.problems).toHaveLength(1_001);
    const summary = file.problems.find((p) => p.message.startsWith('this file has'));
    expect(summary?.message).toBe('this file has 4,000 more syntax errors than the 1,000 listed. Is it nginx at all?');
    expect(summary?.span).toEqual(file.problems[0]!.span);
  });

  it('lists every problem of a file under the cap', () => {
    expect(parseNginxText('few.conf', ';'.repeat(10)).problems).toHaveLength(10);
  });
});

describe('tokens as crossplane reads them', () => {
  it.each([
    ['a "#x" b#c;', ['a', '#x', 'b#c']],
    ['a pre"fix"post;', ['a', 'pre"fix"post']],
    ['a "left"-quote;', ['a', 'left', '-quote']],
    ['a "say \\"hi\\"" "tab\\t";', ['a', 'say "hi"', 'tab\\t']],
    ['a ${X}:${Y}/z;', ['a', '${X}:${Y}/z']],
    ['if ( $a = "" ) { }', ['if', '$a', '=', '']],
    ['if () { }', ['if']],
    ['"quoted name" x;', ['quoted name', 'x']],
  ])('%s', (text, expected) => {
    const d = directives(parse(text).nodes)[0]!;
    expect([d.name, ...d.args.map((a) => a.value)]).toStrictEqual(expected);
  });

  it('ends "${A}" at the whitespace after it, as nginx does (crossplane would glue " next")', () => {
    const file = parse('add_header X ${A} next;');
    expect(directives(file.nodes)[0]!.args.map((a) => a.value)).toStrictEqual(['X', '${A}', 'next']);
    expect(file.crossplane?.reparse).toBe(true);
  });
});

describe('Lua blocks', () => {
  it('makes the body one argument spanning its braces, with no block', () => {
    const text = 'content_by_lua_block {\n  ngx.say("}") -- {\n}\n';
    const d = directives(parse(text).nodes)[0]!;
    expect(d.args.map((a) => a.value)).toStrictEqual(['\n  ngx.say("}") -- {\n']);
    expect([slice(text, d.args[0]!.span), d.block, d.terminator]).toStrictEqual([text.slice(21, -1), undefined, ';']);
  });

  it('takes the variable of set_by_lua_block as the first argument', () => {
    const d = directives(parse('set_by_lua_block $x { return 1 }').nodes)[0]!;
    expect(d.args.map((a) => a.value)).toStrictEqual(['$x', ' return 1 ']);
  });

  it('understands Lua long brackets as OpenResty does', () => {
    const file = parse('init_by_lua_block { local s = [[ { ]] --[==[ } ]==] }\nuser a;\n');
    expect(file.problems).toStrictEqual([]);
    expect(shape(file.nodes)).toStrictEqual(['init_by_lua_block  local s = [[ { ]] --[==[ } ]==] ', 'user a']);
  });

  it('reads a Lua directive name in argument position as an ordinary word', () => {
    expect(shape(parse('server_name content_by_lua_block;').nodes)).toStrictEqual(['server_name content_by_lua_block']);
  });
});

/** A WorkspaceFs that records every path it was asked for. */
function recordingFs(files: Record<string, string>): { fs: WorkspaceFs; asked: string[] } {
  const memory = new MemoryFs(files);
  const asked: string[] = [];
  const fs: WorkspaceFs = {
    readFile: (f) => (asked.push(f), memory.readFile(f)),
    stat: (f) => (asked.push(f), memory.stat(f)),
    readDirectory: (d) => (asked.push(d), memory.readDirectory(d)),
  };
  return { fs, asked };
}

const fileIds = (config: NginxConfig) => config.files.map((f) => f.file);
const includeProblems = (config: NginxConfig) => config.problems.filter((p) => p.kind === 'include').map((p) => p.message);

describe('includes', () => {
  it('joins relative patterns to the entry file\'s directory and follows globs in sorted order, breadth first', () => {
    const config = parseNginxConfig(new MemoryFs({
      'etc/nginx.conf': 'http { include conf.d/*.conf; include snippets/a.conf; }',
      'etc/conf.d/b.conf': 'include snippets/c.conf;',
      'etc/conf.d/a.conf': 'listen 1;',
      'etc/conf.d/.hidden.conf': 'listen 2;',
      'etc/snippets/a.conf': '',
      'etc/snippets/c.conf': '',
    }), 'etc/nginx.conf');
    expect(fileIds(config)).toStrictEqual(['etc/nginx.conf', 'etc/conf.d/a.conf', 'etc/conf.d/b.conf', 'etc/snippets/a.conf', 'etc/snippets/c.conf']);
    const http = directives(config.files[0]!.nodes)[0]!;
    expect(directives(http.block!).map((d) => d.includes)).toStrictEqual([[1, 2], [3]]);
    expect(config.problems).toStrictEqual([]);
  });

  it('reports a missing explicit file with crossplane\'s OSError text on the path argument', () => {
    const config = parseNginxConfig(new MemoryFs({ 'nginx.conf': 'include missing.conf;\ninclude none/*.conf;\n' }), 'nginx.conf');
    expect(config.problems).toStrictEqual([
      { kind: 'include', message: "[Errno 2] No such file or directory: 'missing.conf'", span: { file: 'nginx.conf', start: 8, end: 20 } },
    ]);
    expect(directives(config.files[0]!.nodes).map((d) => d.includes)).toStrictEqual([[], []]);
  });

  it('parses each file once, so include cycles stop', () => {
    const config = parseNginxConfig(new MemoryFs({ 'nginx.conf': 'include a.conf;', 'a.conf': 'include nginx.conf; include a.conf;' }), 'nginx.conf');
    expect(fileIds(config)).toStrictEqual(['nginx.conf', 'a.conf']);
    expect(directives(config.files[1]!.nodes).map((d) => d.includes)).toStrictEqual([[0], [1]]);
  });

  it('resolves absolute paths under the configured prefix, and to nothing without one', () => {
    const files = { 'nginx.conf': 'include /etc/nginx/mime.types;\ninclude /etc/nginx/conf.d/*.conf;', 'root/etc/nginx/mime.types': 'types {}', 'root/etc/nginx/conf.d/x.conf': '' };
    const withPrefix = parseNginxConfig(new MemoryFs(files), 'nginx.conf', { absoluteIncludePrefix: 'root' });
    expect(fileIds(withPrefix)).toStrictEqual(['nginx.conf', 'root/etc/nginx/mime.types', 'root/etc/nginx/conf.d/x.conf']);
    const without = parseNginxConfig(new MemoryFs(files), 'nginx.conf');
    expect(fileIds(without)).toStrictEqual(['nginx.conf']);
    expect(includeProblems(without)).toStrictEqual([
      "[Errno 2] No such file or directory: '/etc/nginx/mime.types'",
      'include "/etc/nginx/conf.d/*.conf" names a folder inside the nginx container',
    ]);
  });

  it('never reads a path that climbs out of the workspace, and says so', () => {
    const { fs, asked } = recordingFs({ 'conf/nginx.conf': 'include ../../secret.conf;\ninclude ../../*.conf;\ninclude /../../x.conf;' });
    const config = parseNginxConfig(fs, 'conf/nginx.conf', { absoluteIncludePrefix: 'conf' });
    expect(includeProblems(config)).toStrictEqual([
      'include "../../secret.conf" points outside the workspace; it was not read',
      'include "../../*.conf" points outside the workspace; it was not read',
      "[Errno 2] No such file or directory: '/../../x.conf'",
    ]);
    expect(asked.filter((p) => p.includes('..') || p.startsWith('/'))).toStrictEqual([]);
    expect(asked).not.toContain('secret.conf');
  });

  it('reports an include without arguments and a matched directory', () => {
    const config = parseNginxConfig(new MemoryFs({ 'nginx.conf': 'include;\ninclude d*;\n', 'dir/x.conf': '' }), 'nginx.conf');
    expect(includeProblems(config)).toStrictEqual(['invalid number of arguments in "include" directive', "[Errno 21] Is a directory: 'dir'"]);
  });

  it('does not follow includes when asked not to', () => {
    const config = parseNginxConfig(new MemoryFs({ 'nginx.conf': 'include a.conf;', 'a.conf': '' }), 'nginx.conf', { followIncludes: false });
    expect([fileIds(config), directives(config.files[0]!.nodes)[0]!.includes]).toStrictEqual([['nginx.conf'], undefined]);
  });

  it('reports an unreadable entry instead of throwing', () => {
    const config = parseNginxConfig(new MemoryFs({}), 'nginx.conf');
    expect([fileIds(config), includeProblems(config)]).toStrictEqual([['nginx.conf'], ["[Errno 2] No such file or directory: 'nginx.conf'"]]);
  });
});
