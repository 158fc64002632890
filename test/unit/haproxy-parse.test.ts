// The HAProxy parser: exact spans, quoting and escapes as parse_line() reads them, environment variables, conditional blocks, sections and recovery.
import { describe, expect, it } from 'vitest';
import type { HaproxyFile, HaproxyStatement } from '../../server/src/engine/inputs/haproxy/ast.js';
import { parseHaproxy, statementReach } from '../../server/src/engine/inputs/haproxy/parse.js';

const parse = (text: string, env?: Record<string, string>): HaproxyFile =>
  parseHaproxy('haproxy.cfg', text, env ? { env: new Map(Object.entries(env)) } : {});
const slice = (text: string, span: { start: number; end: number }): string => text.slice(span.start, span.end);
/** Every statement of every section, in order. */
const statements = (file: HaproxyFile): HaproxyStatement[] => file.sections.flatMap((s) => s.statements);
const problemsOf = (file: HaproxyFile): Array<[string, string]> => file.problems.map((p) => [p.message, slice(file.text, p.span)]);
/** One line in a `backend b` section: its words' values. */
const wordsOf = (line: string, env?: Record<string, string>): string[] =>
  statements(parse(`backend b\n${line}\n`, env))[0]!.words.map((w) => w.value);

describe('spans', () => {
  it('gives the statement, the keyword and each argument exact spans', () => {
    const text = 'backend api\n    timeout server 30s   # slow\n';
    const file = parse(text);
    const statement = statements(file)[0]!;
    expect(statement.keyword).toBe('timeout');
    expect(statement.args.map((w) => [w.value, slice(text, w.span)])).toStrictEqual([['server', 'server'], ['30s', '30s']]);
    expect(slice(text, statement.span)).toBe('timeout server 30s');
    expect(statement.line).toBe(2);
    expect(file.comments.map((c) => slice(text, c))).toStrictEqual(['# slow']);
  });

  it('spans the section from its header to its last statement', () => {
    const text = 'frontend web\n  bind :80\n\n  default_backend api\n\n# next\nbackend api\n';
    const [web, api] = parse(text).sections;
    expect(slice(text, web!.span)).toBe('frontend web\n  bind :80\n\n  default_backend api');
    expect(slice(text, web!.name!.span)).toBe('web');
    expect(slice(text, api!.span)).toBe('backend api');
  });

  it('spans a quoted token as written, quotes and escapes included', () => {
    const text = 'backend b\n  http-request set-header X-A "a b"\\ c\'d\'\n';
    const word = statements(parse(text))[0]!.words[3]!;
    expect([word.value, slice(text, word.span), word.quoted]).toStrictEqual(['a b cd', '"a b"\\ c\'d\'', true]);
  });

  it('counts offsets in UTF-16 code units and lines at LF only (CRLF files included)', () => {
    const text = 'backend 😀\r\n  timeout server 5s\r\n';
    const file = parse(text);
    const statement = statements(file)[0]!;
    expect(slice(text, statement.args[1]!.span)).toBe('5s');
    expect(statement.line).toBe(2);
    expect(file.sections[0]!.name!.value).toBe('😀');
    expect(file.problems).toStrictEqual([]);
  });
});

describe('quoting and escapes (configuration.txt §2.2)', () => {
  it.each([
    ['log-format %{+Q}o\\ %t\\ %s', ['log-format', '%{+Q}o %t %s']],
    ['log-format "%{+Q}o %t %s"', ['log-format', '%{+Q}o %t %s']],
    ["log-format '%{+Q}o %t %s'", ['log-format', '%{+Q}o %t %s']],
    ['log-format "%{+Q}o %t"\' %s\'', ['log-format', '%{+Q}o %t %s']],
    ['acl a path \\#x "#y" \'#z\'', ['acl', 'a', 'path', '#x', '#y', '#z']],
    ['acl a path "\\$" \'$HOME\' $HOME', ['acl', 'a', 'path', '$', '$HOME', '$HOME']],
    ['acl a path \\\\ \'\\\\\' "\\\\"', ['acl', 'a', 'path', '\\', '\\\\', '\\']],
    ['acl a path \\1 \\x41 "\\x42"', ['acl', 'a', 'path', '\\1', 'A', 'B']],
    ['acl a path \\t\\n\\r', ['acl', 'a', 'path', '\t\n\r']],
    ['acl a path "" x', ['acl', 'a', 'path', '', 'x']],
    ['acl a path trailing\\', ['acl', 'a', 'path', 'trailing\\']],
    ['acl\ta  \t path\fx', ['acl', 'a', 'path', 'x']],
  ])('%s', (line, expected) => {
    expect(wordsOf(line)).toStrictEqual(expected);
  });

  it('ends a word at an unquoted # and keeps a # inside a word when escaped', () => {
    expect(wordsOf('acl a path x#comment')).toStrictEqual(['acl', 'a', 'path', 'x']);
  });

  it('has no line continuation: a trailing backslash is a literal and the next line is a statement', () => {
    const file = parse('backend b\n  timeout server \\\n  30s\n');
    expect(statements(file).map((s) => s.words.map((w) => w.value))).toStrictEqual([['timeout', 'server', '\\'], ['30s']]);
  });
});

describe('environment variables (configuration.txt §2.3)', () => {
  it('leaves a variable without a value unresolved, with its reference and span', () => {
    const text = 'backend b\n  timeout server "${SRV_TIMEOUT}"\n';
    const word = statements(parse(text))[0]!.args[1]!;
    expect(word.unresolved).toBe(true);
    expect(word.envRefs!.map((r) => [r.name, slice(text, r.span), r.wordExpand])).toStrictEqual([['SRV_TIMEOUT', '${SRV_TIMEOUT}', false]]);
    expect(slice(text, word.span)).toBe('"${SRV_TIMEOUT}"');
  });

  it('keeps a default unapplied: the variable may be set where HAProxy runs', () => {
    const word = statements(parse('backend b\n  timeout server "${T-30s}"\n'))[0]!.args[1]!;
    expect([word.unresolved, word.envRefs![0]!.defaultValue]).toStrictEqual([true, '30s']);
  });

  it('expands variables the caller gives, only inside double quotes', () => {
    expect(wordsOf('server s "$HOST:${PORT}" \'$HOST\' $HOST', { HOST: 'api', PORT: '3000' })).toStrictEqual(['server', 's', 'api:3000', '$HOST', '$HOST']);
  });

  it('splits ${VAR[*]} into words', () => {
    expect(wordsOf('server s a:1 "${OPTS[*]}" x', { OPTS: 'check  inter 2s' })).toStrictEqual(['server', 's', 'a:1', 'check', 'inter', '2s', 'x']);
  });

  it('resolves the pseudo-variables .LINE and .SECTION', () => {
    expect(wordsOf('server "s${.LINE}" "${.SECTION}":80')).toStrictEqual(['server', 's2', 'b:80']);
  });

  it.each([
    ['server s "${A"', 'unmatched brace in environment variable name', '${A"'],
    ['server s "$1"', 'forbidden first character in environment variable name', '1'],
    ['server s "${A[x]}"', 'truncated or invalid word expansion sequence', '[x]'],
    ['server s "${.NOPE}"', "unknown pseudo-variable '.NOPE'", '.NOPE'],
  ])('%s is refused, and the line is kept with an error', (line, message, at) => {
    const text = `backend b\n  ${line}\n  timeout server 1s\n`;
    const file = parse(text);
    expect(problemsOf(file)).toStrictEqual([[message, at]]);
    expect(statements(file).map((s) => [s.keyword, s.error])).toStrictEqual([['server', message], ['timeout', undefined]]);
  });
});

describe('conditional blocks (configuration.txt §2.4)', () => {
  const text = [
    'backend b',
    '.if defined(SLOW)',
    '  timeout server 5m',
    '.elif streq("$MODE",fast)',
    '  timeout server 5s',
    '.else',
    '  timeout server 30s',
    '.endif',
    '.if 0',
    '  timeout connect 1s',
    '.elif 1',
    '  timeout connect 2s',
    '.else',
    '  timeout connect 3s',
    '.endif',
    '  retries 2',
    '',
  ].join('\n');

  it('keeps each branch with its condition text and span', () => {
    const file = parse(text);
    expect(file.conditionals.map((c) => c.branches.map((b) => [b.directive, b.condition, b.reach]))).toStrictEqual([
      [['.if', 'defined(SLOW)', 'conditional'], ['.elif', 'streq(,fast)', 'conditional'], ['.else', '', 'conditional']],
      [['.if', '0', 'never'], ['.elif', '1', 'always'], ['.else', '', 'never']],
    ]);
    expect(slice(text, file.conditionals[0]!.branches[1]!.span)).toBe('.elif streq("$MODE",fast)');
    expect(slice(text, file.conditionals[0]!.endSpan!)).toBe('.endif');
  });

  it('marks each statement with the branch it lies in', () => {
    const reach = statements(parse(text)).map((s) => [s.args.map((w) => w.value).join(' '), statementReach(s)]);
    expect(reach).toStrictEqual([
      ['server 5m', 'conditional'], ['server 5s', 'conditional'], ['server 30s', 'conditional'],
      ['connect 1s', 'never'], ['connect 2s', 'always'], ['connect 3s', 'never'], ['2', 'always'],
    ]);
  });

  it('nests: a block inside a branch HAProxy skips is skipped too', () => {
    const file = parse('backend b\n.if 0\n.if 1\n  retries 1\n.endif\n.endif\n');
    expect(statements(file).map(statementReach)).toStrictEqual(['never']);
    expect(file.conditionals[0]!.branches[0]!.reach).toBe('never');
  });

  it.each([
    ['.endif', "lone '.endif' with no matching '.if'"],
    ['.else', "lone '.else' with no matching '.if'"],
    ['.elif 1', "lone '.elif' with no matching '.if'"],
    ['.if 1\n.else\n.else\n.endif', "'.else' after '.else' is not permitted"],
    ['.if 1', "'.if' without '.endif' (HAProxy refuses the file)"],
    ['.frobnicate', "unknown directive '.frobnicate'"],
    ['.if 1\n.endif extra', "unexpected argument 'extra' for '.endif'"],
  ])('reports %j', (lines, message) => {
    expect(parse(`backend b\n${lines}\n  retries 1\n`).problems.map((p) => p.message)).toStrictEqual([message]);
  });

  it('accepts the message directives and quoted messages', () => {
    expect(parse('.if 1\n  .notice "hello there"\n.endif\nglobal\n').problems).toStrictEqual([]);
  });
});

describe('sections', () => {
  it('recognises every section keyword and reads names and from', () => {
    const file = parse([
      'global', '  daemon', 'defaults', 'defaults base from other', 'defaults from base', 'frontend fe from base',
      'backend be', 'listen li', 'resolvers dns', '  nameserver a 1.1.1.1:53', 'userlist users', 'peers p', 'program x', 'http-errors e',
      'cache c', 'ring r', '',
    ].join('\n'));
    expect(file.sections.map((s) => [s.kind, s.name?.value, s.from?.value, s.proxy, s.statements.length])).toStrictEqual([
      ['global', undefined, undefined, false, 1], ['defaults', undefined, undefined, true, 0], ['defaults', 'base', 'other', true, 0],
      ['defaults', undefined, 'base', true, 0], ['frontend', 'fe', 'base', true, 0], ['backend', 'be', undefined, true, 0],
      ['listen', 'li', undefined, true, 0], ['resolvers', 'dns', undefined, false, 1], ['userlist', 'users', undefined, false, 0],
      ['peers', 'p', undefined, false, 0], ['program', 'x', undefined, false, 0], ['http-errors', 'e', undefined, false, 0],
      ['cache', 'c', undefined, false, 0], ['ring', 'r', undefined, false, 0],
    ]);
  });

  it('starts a section on its keyword whatever the indentation', () => {
    const file = parse('frontend a\n    backend b\n  timeout server 1s\n');
    expect(file.sections.map((s) => [s.kind, s.statements.length])).toStrictEqual([['frontend', 0], ['backend', 1]]);
  });

  it('keeps modifiers apart from the keyword', () => {
    const s = statements(parse('backend b\n  no option redispatch\n  default option httpclose\n'));
    expect(s.map((x) => [x.modifier, x.keyword, x.args.map((w) => w.value)])).toStrictEqual([
      ['no', 'option', ['redispatch']], ['default', 'option', ['httpclose']],
    ]);
  });

  it.each([
    ['frontend', "'frontend' expects a name (HAProxy refuses the section)"],
    ['listen web :80', "unexpected argument after the listen name: listening addresses go on a 'bind' line"],
    ['backend a b', "unexpected argument after the backend name (only 'from <defaults>' may follow)"],
    ['backend a from', "'from' expects one defaults section name"],
  ])('reports the header %j', (header, message) => {
    expect(parse(`${header}\n  retries 1\n`).problems.map((p) => p.message)).toStrictEqual([message]);
  });

  it('keeps unknown keywords as statements, without a problem', () => {
    const file = parse('backend b\n  frobnicate now 3\n  timeout server 1s\n');
    expect(statements(file).map((s) => s.keyword)).toStrictEqual(['frobnicate', 'timeout']);
    expect(file.problems).toStrictEqual([]);
  });
});

describe('recovery', () => {
  it('reports an unmatched quote and reads the following lines', () => {
    const text = 'backend b\n  http-request set-header X "open\n  timeout server 30s\n';
    const file = parse(text);
    expect(problemsOf(file)).toStrictEqual([['unmatched quote', '"open']]);
    expect(statements(file).map((s) => [s.keyword, s.error ?? null])).toStrictEqual([['http-request', 'unmatched quote'], ['timeout', null]]);
  });

  it('reports keywords out of any section, and garbage lines do not stop the parse', () => {
    const text = 'timeout server 1s\n}}} {{{ ;;\nbackend b\n  ]]] ;\n  timeout server 2s\n';
    const file = parse(text);
    expect(problemsOf(file)).toStrictEqual([
      ["unknown keyword 'timeout' out of section (HAProxy refuses it)", 'timeout server 1s'],
      ["unknown keyword '}}}' out of section (HAProxy refuses it)", '}}} {{{ ;;'],
    ]);
    expect(statements(file).map((s) => s.keyword)).toStrictEqual([']]]', 'timeout']);
  });

  it('reads only up to a carriage return inside a line, and says so', () => {
    const text = 'backend b\n  timeout server 5s\rretries 9\n';
    const file = parse(text);
    expect(statements(file)[0]!.words.map((w) => w.value)).toStrictEqual(['timeout', 'server', '5s']);
    expect(problemsOf(file)).toStrictEqual([['HAProxy ignores the rest of a line after a carriage return', '\rretries 9']]);
  });

  it('reports a NUL character', () => {
    expect(parse('backend b\n  retries 1\0x\n').problems.map((p) => p.message)).toStrictEqual(['NUL character: HAProxy stops reading the file here ("Stray NUL character")']);
  });

  it('reports a line with more than 64 words', () => {
    const file = parse(`backend b\n  acl a path ${Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ')}\n`);
    expect(file.problems.map((p) => p.message)).toStrictEqual(['too many words (HAProxy reads at most 64)']);
    expect(statements(file)[0]!.error).toBe('too many words (HAProxy reads at most 64)');
  });

  it('keeps scope lines apart', () => {
    const text = '[haproxy.cfg:1]\nbackend b\n';
    expect(parse(text).scopes.map((s) => slice(text, s))).toStrictEqual(['[haproxy.cfg:1]']);
  });
});
