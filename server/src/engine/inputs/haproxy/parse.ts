// A recovering parser for haproxy.cfg: lines into sections and statements, conditional blocks, problems; never throws.
import type { FileId, Problem, Span } from '../../types.js';
import type {
  HaproxyBranch, HaproxyConditional, HaproxyFile, HaproxyParseOptions, HaproxyReach, HaproxySection, HaproxyStatement,
  HaproxyWord,
} from './ast.js';
import { lexLine } from './lexer.js';

/**
 * The section keywords HAProxy registers (`REGISTER_CONFIG_SECTION` in haproxy/haproxy src/, 3.5-dev5).
 * A line whose first word is one of them starts a new section wherever it stands.
 */
export const SECTION_KEYWORDS: ReadonlySet<string> = new Set([
  'global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers', 'userlist', 'program', 'http-errors',
  'cache', 'ring', 'mailers', 'namespace_list', 'traces', 'fcgi-app', 'log-forward', 'log-profile', 'crt-store',
  'healthcheck', 'acme',
]);

/** The sections whose settings the model reads. */
export const PROXY_SECTIONS: ReadonlySet<string> = new Set(['defaults', 'frontend', 'backend', 'listen']);

/** HAProxy aborts past this many nested `.if` (`MAXNESTEDCONDS` in include/haproxy/cfgcond-t.h). */
export const MAX_NESTED_CONDITIONS = 100;

/** Parses one HAProxy configuration file. Never throws: what HAProxy would refuse becomes a problem. */
export function parseHaproxy(file: FileId, text: string, options: HaproxyParseOptions = {}): HaproxyFile {
  const result: HaproxyFile = { file, text, sections: [], outside: [], conditionals: [], scopes: [], comments: [], problems: [] };
  try {
    new HaproxyParser(result, options).run();
  } catch (error) {
    // The parser has no known way to throw; if it does, the file is reported rather than the run broken.
    result.problems.push({ kind: 'not-analysed', message: `HAProxy parser failed: ${String(error)}`, span: { file, start: 0, end: 0 } });
  }
  return result;
}

class HaproxyParser {
  private readonly text: string;
  private section: HaproxySection | undefined;
  /** Open conditional blocks, innermost last. */
  private readonly open: HaproxyConditional[] = [];

  constructor(private readonly out: HaproxyFile, private readonly options: HaproxyParseOptions) {
    this.text = out.text;
  }

  run(): void {
    const text = this.text;
    let pos = 0;
    let line = 0;
    while (pos < text.length) {
      line++;
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      this.readLine(pos, end, line);
      pos = end + 1;
    }
    for (const block of this.open) {
      const first = block.branches[0]!;
      this.problem(`'.if' without '.endif' (HAProxy refuses the file)`, first.span);
    }
  }

  private readLine(lineStart: number, end: number, line: number): void {
    const text = this.text;
    let i = lineStart;
    // HAProxy skips leading isspace() characters, a CR included.
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13) break;
      i++;
    }
    if (i >= end) return;
    if (text.charCodeAt(i) === 91) {
      let e = end;
      while (e > i && text.charCodeAt(e - 1) === 13) e--;
      this.out.scopes.push(this.span(i, e));
      return;
    }
    const lexed = lexLine(text, i, end, {
      file: this.out.file, line, section: this.sectionLabel(), env: this.options.env,
    });
    if (lexed.comment) this.out.comments.push(lexed.comment);
    for (const note of lexed.notes) this.problem(note.message, this.span(note.start, note.end));
    if (lexed.error) this.problem(lexed.error.message, this.span(lexed.error.start, lexed.error.end));
    const words = lexed.words;
    if (words.length === 0) return;
    const first = words[0]!;
    if (!lexed.error && first.value.startsWith('.') && !first.unresolved) {
      this.directive(words);
      return;
    }
    const statement = this.statement(words, line, lexed.error?.message);
    if (statement.modifier === null && SECTION_KEYWORDS.has(statement.keyword) && !statement.error) {
      this.startSection(statement);
      return;
    }
    if (this.section) {
      this.section.statements.push(statement);
      this.section.span = this.span(this.section.span.start, statement.span.end);
    } else {
      this.out.outside.push(statement);
      if (!statement.error && this.reach() !== 'never') {
        this.problem(`unknown keyword '${statement.keyword}' out of section (HAProxy refuses it)`, statement.span);
      }
    }
  }

  private statement(words: HaproxyWord[], line: number, error: string | undefined): HaproxyStatement {
    const head = words[0]!;
    const modifier = head.value === 'no' || head.value === 'default' ? head.value : null;
    const keywordWord = modifier ? words[1] : head;
    const last = words[words.length - 1]!;
    const statement: HaproxyStatement = {
      words,
      keyword: keywordWord?.value ?? '',
      modifier,
      args: words.slice(modifier ? 2 : 1),
      span: this.span(head.span.start, last.span.end),
      line,
    };
    const branch = this.branch();
    if (branch) statement.branch = branch;
    if (error) statement.error = error;
    return statement;
  }

  private startSection(header: HaproxyStatement): void {
    const kind = header.keyword;
    const section: HaproxySection = {
      kind, header, statements: [], span: header.span, proxy: PROXY_SECTIONS.has(kind),
    };
    const args = header.args;
    if (section.proxy) this.readProxyHeader(section, args);
    else if (kind !== 'global' && args[0]) section.name = args[0];
    this.out.sections.push(section);
    this.section = section;
  }

  /** `frontend <name> [from <defaults>]`, `defaults [<name>] [from <defaults>]`, `defaults from <defaults>` (src/cfgparse-listen.c). */
  private readProxyHeader(section: HaproxySection, args: HaproxyWord[]): void {
    const kind = section.kind;
    let next = 0;
    if (kind !== 'defaults' || (args[0] && args[0].value !== 'from')) {
      if (args[0]) section.name = args[0];
      next = 1;
    }
    if (kind !== 'defaults' && !section.name) {
      this.problem(`'${kind}' expects a name (HAProxy refuses the section)`, section.header.span);
    }
    const rest = args.slice(next);
    if (rest.length === 0) return;
    if (rest[0]!.value === 'from' && rest.length === 2) {
      section.from = rest[1]!;
      return;
    }
    const extra = this.span(rest[0]!.span.start, rest[rest.length - 1]!.span.end);
    if (rest[0]!.value === 'from') this.problem(`'from' expects one defaults section name`, extra);
    else if (kind === 'frontend' || kind === 'listen') this.problem(`unexpected argument after the ${kind} name: listening addresses go on a 'bind' line`, extra);
    else this.problem(`unexpected argument after the ${kind} name (only 'from <defaults>' may follow)`, extra);
  }

  /** `.if`, `.elif`, `.else`, `.endif` and the message directives (configuration.txt §2.4). */
  private directive(words: HaproxyWord[]): void {
    const name = words[0]!.value;
    const lineSpan = this.span(words[0]!.span.start, words[words.length - 1]!.span.end);
    const condition = words.slice(1).map((w) => w.value).join(' ');
    const evaluated = words.slice(1).some((w) => w.unresolved) ? undefined : evaluateLiteral(condition);
    switch (name) {
      case '.if': {
        if (this.open.length + 1 >= MAX_NESTED_CONDITIONS) {
          this.problem(`too many nested '.if' (HAProxy allows ${MAX_NESTED_CONDITIONS - 1})`, lineSpan);
        }
        const parent = this.branch();
        const block: HaproxyConditional = { branches: [] };
        if (parent) block.parent = parent;
        else this.out.conditionals.push(block);
        this.open.push(block);
        this.addBranch(block, '.if', condition, lineSpan, evaluated);
        return;
      }
      case '.elif':
      case '.else': {
        const block = this.open[this.open.length - 1];
        if (!block) {
          this.problem(`lone '${name}' with no matching '.if'`, lineSpan);
          return;
        }
        if (block.branches[block.branches.length - 1]!.directive === '.else') {
          this.problem(`'${name}' after '.else' is not permitted`, lineSpan);
          return;
        }
        if (name === '.else' && words.length > 1) this.problem(`unexpected argument '${words[1]!.value}' for '.else'`, lineSpan);
        this.addBranch(block, name, name === '.else' ? '' : condition, lineSpan, name === '.else' ? true : evaluated);
        return;
      }
      case '.endif': {
        if (words.length > 1) this.problem(`unexpected argument '${words[1]!.value}' for '.endif'`, lineSpan);
        const block = this.open.pop();
        if (!block) this.problem(`lone '.endif' with no matching '.if'`, lineSpan);
        else block.endSpan = lineSpan;
        return;
      }
      case '.diag':
      case '.notice':
      case '.warning':
      case '.alert':
        if (words.length > 2 && this.reach() !== 'never') {
          this.problem(`unexpected argument '${words[2]!.value}' for '${name}' (quote the message)`, lineSpan);
        }
        return;
      default:
        if (this.reach() !== 'never') this.problem(`unknown directive '${name}'`, lineSpan);
    }
  }

  private addBranch(block: HaproxyConditional, directive: HaproxyBranch['directive'], condition: string, span: Span, evaluated: boolean | undefined): void {
    const outer: HaproxyReach = block.parent ? block.parent.reach : 'always';
    const earlier = block.branches;
    let reach: HaproxyReach;
    if (outer === 'never' || earlier.some((b) => b.evaluated === true && b.reach !== 'never')) reach = 'never';
    else if (evaluated === false) reach = 'never';
    else if (evaluated === true && earlier.every((b) => b.evaluated === false || b.reach === 'never')) reach = outer;
    else reach = 'conditional';
    const branch: HaproxyBranch = { directive, condition, span, reach, block };
    if (evaluated !== undefined && directive !== '.else') branch.evaluated = evaluated;
    if (directive === '.else') branch.evaluated = true;
    block.branches.push(branch);
  }

  /** The innermost open branch. */
  private branch(): HaproxyBranch | undefined {
    const block = this.open[this.open.length - 1];
    return block?.branches[block.branches.length - 1];
  }

  private reach(): HaproxyReach {
    return this.branch()?.reach ?? 'always';
  }

  private sectionLabel(): string {
    const s = this.section;
    if (!s) return '';
    return s.name?.value ?? s.kind;
  }

  private span(start: number, end: number): Span {
    return { file: this.out.file, start, end };
  }

  private problem(message: string, span: Span): void {
    const problem: Problem = { kind: 'syntax', message, span };
    this.out.problems.push(problem);
  }
}

/**
 * HAProxy's value for a condition the linter can evaluate without the running process: '' and
 * `0` are false, any other integer true (configuration.txt §2.4). Anything else is undefined.
 */
export function evaluateLiteral(condition: string): boolean | undefined {
  if (condition === '') return false;
  if (/^[+-]?\d+$/.test(condition)) return Number(condition) !== 0;
  return undefined;
}

/** Whether HAProxy reads a statement: its innermost branch's reach, or 'always' outside conditionals. */
export function statementReach(statement: HaproxyStatement): HaproxyReach {
  return statement.branch?.reach ?? 'always';
}
