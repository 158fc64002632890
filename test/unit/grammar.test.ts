// The nginx TextMate grammar and language configuration: well-formed JSON, resolvable includes, portable regexes, and sample scopes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface GrammarRule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  name?: string;
  contentName?: string;
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
  endCaptures?: Record<string, { name?: string }>;
  patterns?: GrammarRule[];
}

interface Grammar extends GrammarRule {
  scopeName: string;
  repository: Record<string, GrammarRule>;
}

const ROOT = join(__dirname, '..', '..');
const grammarText = readFileSync(join(ROOT, 'syntaxes', 'nginx.tmLanguage.json'), 'utf8');
const configurationText = readFileSync(join(ROOT, 'syntaxes', 'nginx.language-configuration.json'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; language: string }[] };
};
const grammar = JSON.parse(grammarText) as Grammar;

// Grammars of other languages that the nginx grammar embeds; VS Code ships source.lua.
const EXTERNAL_SCOPES = new Set(['source.lua']);

describe('nginx grammar files', () => {
  it('parse as JSON and name the scope package.json registers', () => {
    expect(grammar.scopeName).toBe('source.nginx');
    expect(() => JSON.parse(configurationText)).not.toThrow();
    const registered = packageJson.contributes.grammars.find((entry) => entry.language === 'nginx');
    expect(registered?.scopeName).toBe('source.nginx');
  });

  it('resolve every include to a repository key or a known embedded grammar', () => {
    const unresolved = allRules(grammar)
      .map((rule) => rule.include)
      .filter((include): include is string => include !== undefined)
      .filter((include) => {
        if (include === '$self' || include === '$base') return false;
        if (include.startsWith('#')) return !(include.slice(1) in grammar.repository);
        return !EXTERNAL_SCOPES.has(include);
      });
    expect(unresolved).toEqual([]);
  });

  it('compile every regex in JavaScript with the u flag', () => {
    for (const source of allRegexes()) {
      expect(() => new RegExp(source, 'u'), source).not.toThrow();
    }
  });

  // VS Code runs grammars on Oniguruma, which lacks variable-length lookbehind; JavaScript lacks
  // possessive quantifiers, atomic groups and Oniguruma-only escapes. Staying in the shared subset
  // keeps the JavaScript checks above meaningful.
  it('use only regex constructs that mean the same in Oniguruma and JavaScript', () => {
    for (const source of allRegexes()) {
      expect(source, source).not.toMatch(/\(\?>|\(\?[imx]+[:)]|[*+?}]\+|\\[hHAzZGK]/);
      for (const body of lookbehindBodies(source)) {
        expect(body.replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''), `lookbehind in ${source}`).not.toMatch(/[*+?{]/);
      }
    }
  });

  it('has a language configuration with # comments, brackets and compilable indentation rules', () => {
    const configuration = JSON.parse(configurationText) as {
      comments: { lineComment: string };
      brackets: string[][];
      autoClosingPairs: { open: string; close: string }[];
      indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
      wordPattern: string;
    };
    expect(configuration.comments.lineComment).toBe('#');
    expect(configuration.brackets).toEqual([['{', '}'], ['(', ')']]);
    expect(configuration.autoClosingPairs.map((pair) => pair.open)).toEqual(['{', '(', '"', "'"]);
    const increase = new RegExp(configuration.indentationRules.increaseIndentPattern, 'u');
    const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern, 'u');
    expect(increase.test('    location /api/ {')).toBe(true);
    expect(increase.test('    location /api/ {  # the API')).toBe(true);
    expect(increase.test('    # server {')).toBe(false);
    expect(increase.test('    proxy_pass http://api;')).toBe(false);
    expect(decrease.test('    }')).toBe(true);
    expect(new RegExp(configuration.wordPattern, 'u').exec('  $upstream_addr;')?.[0]).toBe('$upstream_addr');
  });
});

describe('nginx grammar scopes (checked with a small TextMate interpreter)', () => {
  it.each<[string, string, string, string]>([
    ['a line comment', '# upstream timeouts', '# upstream', 'comment.line.number-sign.nginx'],
    ['# inside a word is not a comment', 'proxy_pass http://a#b;', '#b', 'source.nginx'],
    ['a directive name', '  proxy_read_timeout 60s;', 'proxy_read_timeout', 'support.function.directive.nginx'],
    ['a duration', 'proxy_read_timeout 60s;', '60', 'constant.numeric.nginx'],
    ['the unit of a duration', 'proxy_read_timeout 60s;', 's', 'keyword.other.unit.nginx'],
    ['the parts of a spaced duration', 'proxy_read_timeout 1h 30m;', '30', 'constant.numeric.nginx'],
    ['a combined duration', 'proxy_read_timeout 1h30m;', '1h30m', 'constant.numeric.duration.nginx'],
    ['a size', 'client_max_body_size 512k;', 'k', 'keyword.other.unit.nginx'],
    ['the statement terminator', 'proxy_read_timeout 60s;', ';', 'punctuation.terminator.statement.nginx'],
    ['on/off', 'gzip on;', 'on', 'constant.language.boolean.nginx'],
    ['a variable', 'proxy_set_header Host $host;', '$host', 'variable.other.nginx'],
    ['a braced variable', 'return 200 ${scheme}x;', 'scheme', 'variable.other.nginx'],
    ['a double-quoted string', 'add_header X-A "a b";', '"a b"', 'string.quoted.double.nginx'],
    ['an escape in a string', 'return 200 "a \\" b";', '\\"', 'constant.character.escape.nginx'],
    ['a variable in a string', 'return 200 "up: $upstream_addr";', '$upstream_addr', 'variable.other.nginx'],
    ['a single-quoted string', "log_format main '$remote_addr';", "'", 'string.quoted.single.nginx'],
    ['a block keyword', 'http {', 'http', 'keyword.other.block.nginx'],
    ['an opening brace', 'http {', '{', 'punctuation.section.block.begin.nginx'],
    ['server as a block', 'server {', 'server', 'keyword.other.block.nginx'],
    ['server in an upstream is a directive', 'server 10.0.0.1:8080 weight=5;', 'server', 'support.function.directive.nginx'],
    ['a key=value parameter', 'server 10.0.0.1:8080 fail_timeout=10s;', 'fail_timeout', 'variable.parameter.nginx'],
    ['a parameter value', 'server api:8080 fail_timeout=10s;', '10', 'constant.numeric.nginx'],
    ['no number inside an address', 'listen 127.0.0.1:8080;', '127', 'source.nginx'],
    ['an upstream name', 'upstream llm_backend {', 'llm_backend', 'entity.name.type.upstream.nginx'],
    ['a location path', 'location /api/ {', '/api/', 'string.unquoted.path.nginx'],
    ['an exact location', 'location = /health {', '=', 'keyword.operator.modifier.nginx'],
    ['a prefix location', 'location ^~ /static/ {', '/static/', 'string.unquoted.path.nginx'],
    ['a named location', 'location @fallback {', '@fallback', 'entity.name.function.named-location.nginx'],
    ['a regex location', 'location ~* \\.(png|jpg)$ {', '\\.(png|jpg)$', 'string.regexp.nginx'],
    ['a regex location modifier', 'location ~* \\.(png|jpg)$ {', '~*', 'keyword.operator.modifier.nginx'],
    ['an if', 'if ($http_upgrade ~* ^websocket$) {', 'if', 'keyword.control.conditional.nginx'],
    ['a regex in an if', 'if ($uri ~ ^/(a|b)$) {', '^/(a|b)$', 'string.regexp.nginx'],
    ['a file test in an if', 'if (!-f $request_filename) {', '!-f', 'keyword.operator.test.nginx'],
    ['a Lua block', 'content_by_lua_block {', 'content_by_lua_block', 'support.function.directive.lua-block.nginx'],
  ])('%s', (_name, source, needle, scope) => {
    expect(scopesOf(source, needle)).toContain(scope);
  });

  it('keeps a multi-line directive in one statement', () => {
    const source = "log_format main '$remote_addr '\n                '$status';\nproxy_read_timeout 5s;";
    expect(scopesOf(source, "'$status'")).toContain('string.quoted.single.nginx');
    expect(scopesOf(source, 'proxy_read_timeout')).toContain('support.function.directive.nginx');
  });

  it('ends a Lua block only at its own closing brace', () => {
    const source = 'content_by_lua_block {\n  local t = { a = 1 }\n  ngx.say(t.a)\n}\nproxy_read_timeout 5s;';
    expect(scopesOf(source, 'ngx.say')).toContain('source.lua');
    expect(scopesOf(source, 'proxy_read_timeout')).toContain('support.function.directive.nginx');
    expect(scopesOf(source, 'proxy_read_timeout')).not.toContain('source.lua');
  });

  it('highlights map bodies without swallowing the next statement', () => {
    const source = 'map $uri $is_api {\n  default 0;\n  ~^/api 1;\n}\nkeepalive_timeout 75s;';
    expect(scopesOf(source, 'default')).toContain('support.function.directive.nginx');
    expect(scopesOf(source, 'keepalive_timeout')).toContain('support.function.directive.nginx');
  });
});

function allRules(root: GrammarRule & { repository?: Record<string, GrammarRule> }): GrammarRule[] {
  const rules: GrammarRule[] = [];
  const visit = (rule: GrammarRule): void => {
    rules.push(rule);
    rule.patterns?.forEach(visit);
  };
  visit(root);
  Object.values(root.repository ?? {}).forEach(visit);
  return rules;
}

function allRegexes(): string[] {
  return allRules(grammar).flatMap((rule) => [rule.match, rule.begin, rule.end, rule.while].filter((r): r is string => r !== undefined));
}

/** The bodies of `(?<=…)` and `(?<!…)` groups, found by counting parentheses outside classes. */
function lookbehindBodies(source: string): string[] {
  const bodies: string[] = [];
  for (const match of source.matchAll(/\(\?<[=!]/g)) {
    let depth = 1;
    let inClass = false;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++) {
      const ch = source[i];
      if (ch === '\\') i++;
      else if (inClass) inClass = ch !== ']';
      else if (ch === '[') inClass = true;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    bodies.push(source.slice(start, i - 1));
  }
  return bodies;
}

// A minimal TextMate interpreter: match and begin/end rules, captures, repository and $self includes.
// It is enough to check scopes on short samples; VS Code's vscode-textmate is the real implementation.

interface Frame {
  rule: GrammarRule;
  /** Scopes of the begin and end text. */
  outer: string[];
  /** Scopes of the text between begin and end (outer plus contentName). */
  inner: string[];
  end?: RegExp;
}

function scopesOf(source: string, needle: string): string[] {
  const offset = source.indexOf(needle);
  if (offset < 0) throw new Error(`sample does not contain ${needle}`);
  const stack: Frame[] = [{ rule: grammar, outer: [grammar.scopeName], inner: [grammar.scopeName] }];
  let lineStart = 0;
  for (const line of source.split('\n')) {
    const scopes = tokenizeLine(line, stack);
    if (offset < lineStart + line.length + 1) return scopes[offset - lineStart] ?? [];
    lineStart += line.length + 1;
  }
  return [];
}

/** Scopes per UTF-16 unit of one line; `stack` carries begin/end state to the next line. */
function tokenizeLine(line: string, stack: Frame[]): string[][] {
  const scopes: string[][] = [];
  let pos = 0;
  for (let guard = 0; pos <= line.length && guard < 1000; guard++) {
    const frame = stack[stack.length - 1]!;
    // The earliest match wins; at equal positions the end pattern beats the patterns, as in vscode-textmate.
    let best: { match: RegExpExecArray; rule?: GrammarRule } | undefined;
    const endMatch = frame.end ? execAt(frame.end, line, pos) : null;
    if (endMatch) best = { match: endMatch };
    for (const rule of flattenPatterns(frame.rule.patterns ?? [])) {
      const match = execAt(compile(rule.match ?? rule.begin!), line, pos);
      if (match && (!best || match.index < best.match.index)) best = { match, rule };
    }
    if (!best) break;
    const { match, rule } = best;
    const matchEnd = match.index + match[0].length;
    fill(scopes, pos, match.index, frame.inner);
    if (!rule) {
      fill(scopes, match.index, matchEnd, frame.outer);
      applyCaptures(scopes, match, frame.rule.endCaptures ?? frame.rule.captures);
      stack.pop();
    } else if (rule.match !== undefined) {
      fill(scopes, match.index, matchEnd, rule.name ? [...frame.inner, rule.name] : frame.inner);
      applyCaptures(scopes, match, rule.captures);
    } else {
      const outer = rule.name ? [...frame.inner, rule.name] : frame.inner;
      fill(scopes, match.index, matchEnd, outer);
      applyCaptures(scopes, match, rule.beginCaptures ?? rule.captures);
      const inner = rule.contentName ? [...outer, ...rule.contentName.split(' ')] : outer;
      stack.push({ rule, outer, inner, end: compile(rule.end!) });
    }
    // An empty match rule changes no state; step over one character so the loop advances.
    if (matchEnd === match.index && rule?.match !== undefined) {
      fill(scopes, matchEnd, matchEnd + 1, frame.inner);
      pos = matchEnd + 1;
    } else {
      pos = matchEnd;
    }
  }
  fill(scopes, pos, line.length, stack[stack.length - 1]!.inner);
  return scopes;
}

function flattenPatterns(patterns: GrammarRule[]): GrammarRule[] {
  return patterns.flatMap((rule) => {
    if (rule.include === undefined) return rule.match !== undefined || rule.begin !== undefined ? [rule] : flattenPatterns(rule.patterns ?? []);
    if (rule.include === '$self' || rule.include === '$base') return flattenPatterns(grammar.patterns ?? []);
    if (rule.include.startsWith('#')) return flattenPatterns([grammar.repository[rule.include.slice(1)]!]);
    return []; // An embedded grammar the interpreter does not load.
  });
}

const compiled = new Map<string, RegExp>();
function compile(source: string): RegExp {
  let regex = compiled.get(source);
  if (!regex) compiled.set(source, (regex = new RegExp(source, 'dgu')));
  return regex;
}

function execAt(regex: RegExp, line: string, pos: number): RegExpExecArray | null {
  regex.lastIndex = pos;
  return regex.exec(line);
}

function fill(scopes: string[][], start: number, end: number, value: string[]): void {
  for (let i = start; i < end; i++) scopes[i] = value;
}

function applyCaptures(scopes: string[][], match: RegExpExecArray, captures: GrammarRule['captures']): void {
  for (const [group, capture] of Object.entries(captures ?? {})) {
    const span = match.indices?.[Number(group)];
    if (!span || !capture.name) continue;
    for (let i = span[0]; i < span[1]; i++) scopes[i] = [...(scopes[i] ?? []), capture.name];
  }
}
