// Builds the statement tree of one nginx file from its tokens, recovering from syntax errors.
import type { FileId, Problem } from '../../types.js';
import { MAX_BLOCK_DEPTH, type CrossplaneFatal, type NginxArg, type NginxComment, type NginxDirective, type NginxNode } from './ast.js';
import { NginxLexer } from './lexer.js';
import {
  isPySpace, TOKEN_CLOSE, TOKEN_COMMENT, TOKEN_EOF, TOKEN_LUA, TOKEN_OPEN, TOKEN_QUOTED, TOKEN_SEMI, TOKEN_WORD,
} from './tokens.js';

export interface TreeResult {
  nodes: NginxNode[];
  problems: Problem[];
  fatal: CrossplaneFatal | undefined;
  /** Every `include` directive, in document order. */
  includes: NginxDirective[];
  /** nginx mode: crossplane's statements would differ from these (see CrossplaneFacts.reparse). */
  differsFromCrossplane: boolean;
}

/**
 * nginx mode (the linter's tree) follows nginx where crossplane has quirks and never gives up:
 * a stray `}` is reported and skipped, an unclosed block keeps its contents, a statement cut off
 * by the end of the file is kept, and a `}` that ends a statement without `;` is reported and
 * still closes its block, which is what the author meant (nginx rejects the file with
 * `unexpected "}"`). crossplane mode reproduces crossplane's tree, including its use of such a `}`
 * as the statement's terminator, which nests everything after it one level deeper.
 *
 * Both modes record the error at which crossplane would have given up on the file.
 */
export function buildTree(file: FileId, text: string, crossplaneMode: boolean): TreeResult {
  return new TreeBuilder(file, text, crossplaneMode).build();
}

interface Frame {
  directive: NginxDirective;
  /** The node list the block's directive belongs to. */
  parent: NginxNode[];
  /** Comments written between the directive's arguments; they follow the directive once its block closes. */
  trailing: NginxComment[] | null;
}

/** A token that is one envsubst placeholder and nothing else: `${NAME}`. */
const PLACEHOLDER_STATEMENT = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Syntax problems kept per file (see TreeBuilder.syntaxProblem). */
export const MAX_SYNTAX_PROBLEMS = 1_000;

/**
 * Building the tree costs mostly allocation and garbage collection, so new objects go into new
 * arrays (storing young objects into a long-lived scratch array is slow in V8) and argument
 * lists of up to three are allocated at their exact size.
 */
class TreeBuilder {
  private readonly lx: NginxLexer;
  private readonly problems: Problem[] = [];
  private readonly frames: Frame[] = [];
  private readonly root: NginxNode[] = [];
  private readonly includes: NginxDirective[] = [];
  /** The node list statements are added to: the root or the innermost open block. */
  private nodes: NginxNode[] = this.root;
  private fatal: CrossplaneFatal | undefined;
  private braceDepth = 0;
  private differs = false;
  private lastEnd = 0;
  /** Set once a block nested deeper than MAX_BLOCK_DEPTH was left out (reported once per file). */
  private tooDeep = false;
  /** Syntax problems past MAX_SYNTAX_PROBLEMS, counted but not kept (see syntaxProblem). */
  private syntaxLeftOut = 0;

  constructor(
    private readonly file: FileId,
    private readonly text: string,
    private readonly crossplaneMode: boolean,
  ) {
    this.lx = new NginxLexer(text, crossplaneMode, crossplaneMode ? () => undefined : (m, s, e) => this.report(m, s, e));
  }

  build(): TreeResult {
    const lx = this.lx;
    for (;;) {
      const kind = this.pull();
      if (kind === TOKEN_EOF) {
        this.endOfFile(null);
        break;
      }
      if (kind === TOKEN_COMMENT) {
        this.nodes.push(this.comment(false));
      } else if (kind === TOKEN_CLOSE) {
        this.closeBrace();
        if (this.frames.length > 0) this.closeBlock(lx.start, lx.end);
        // crossplane returns from its top-level loop here and never reads the rest of the file.
        else if (this.crossplaneMode) break;
        else this.report('unexpected "}"', lx.start, lx.end);
      } else if (kind === TOKEN_SEMI && !this.crossplaneMode) {
        // crossplane would make the `;` a directive name and swallow the next statement as its arguments.
        this.differs = true;
        this.report('unexpected ";"', lx.start, lx.end);
      } else if (kind === TOKEN_OPEN && !this.crossplaneMode) {
        // A block with no directive: keep its statements in a nameless block (crossplane names it "{").
        this.differs = true;
        this.report('unexpected "{"', lx.start, lx.end);
        this.openBlock('', lx.start, lx.start, lx.line, [], null);
      } else if (!this.statement(kind)) {
        break;
      }
    }
    if (this.syntaxLeftOut > 0) {
      // At the first syntax problem, so that it is among the findings shown first.
      const first = this.problems.find((p) => p.kind === 'syntax')!;
      const message = `this file has ${this.syntaxLeftOut.toLocaleString('en-US')} more syntax errors than the ${MAX_SYNTAX_PROBLEMS.toLocaleString('en-US')} listed. Is it nginx at all?`;
      this.problems.push({ kind: 'syntax', message, span: first.span });
    }
    return { nodes: this.root, problems: this.problems, fatal: this.fatal, includes: this.includes, differsFromCrossplane: this.differs || lx.quirk };
  }

  /** Reads one statement whose name is the current token; false once the file has ended. */
  private statement(nameKind: number): boolean {
    const lx = this.lx;
    const name = lx.value;
    const nameStart = lx.start;
    const nameEnd = lx.end;
    const line = lx.line;
    if (!this.crossplaneMode && nameKind === TOKEN_WORD && this.placeholderStatementAt(name, nameEnd)) {
      this.placeholderStatement(name, nameStart, nameEnd, line);
      return true;
    }
    // In crossplane mode a `{` can be a directive name, and it still counts as an opening brace.
    if (nameKind === TOKEN_OPEN) this.braceDepth++;
    let a0: NginxArg | undefined;
    let a1: NginxArg | undefined;
    let a2: NginxArg | undefined;
    let more: NginxArg[] | null = null;
    let count = 0;
    let end = nameEnd;
    let trailing: NginxComment[] | null = null;
    for (;;) {
      const kind = this.pull();
      if (kind === TOKEN_WORD || kind === TOKEN_QUOTED || kind === TOKEN_LUA) {
        const arg: NginxArg = { value: lx.value, span: { file: this.file, start: lx.start, end: lx.end }, quote: kind === TOKEN_QUOTED ? lx.quote : null };
        if (count === 0) a0 = arg;
        else if (count === 1) a1 = arg;
        else if (count === 2) a2 = arg;
        else (more ??= [a0!, a1!, a2!]).push(arg);
        count++;
        end = lx.end;
        continue;
      }
      if (kind === TOKEN_COMMENT) {
        (trailing ??= []).push(this.comment(true));
        // The statement's span covers comments written between its arguments.
        end = lx.end;
        continue;
      }
      let args = more ?? (count === 0 ? [] : count === 1 ? [a0!] : count === 2 ? [a0!, a1!] : [a0!, a1!, a2!]);
      if (name === 'if') args = prepareIfArgs(args);
      if (kind === TOKEN_OPEN) {
        this.includeWithoutArgs(name, args, lx.start);
        this.openBlock(name, nameStart, nameEnd, line, args, trailing);
        return true;
      }
      if (kind === TOKEN_EOF) {
        const d = this.directive(name, nameStart, nameEnd, line, args, end, null, trailing);
        this.endOfFile(d);
        return false;
      }
      if (kind === TOKEN_SEMI) {
        this.includeWithoutArgs(name, args, lx.start);
        this.directive(name, nameStart, nameEnd, line, args, lx.end, ';', trailing);
        return true;
      }
      // TOKEN_CLOSE: the `}` ends a statement that has no `;`. crossplane checks the braces as it
      // reads the `}`, before it looks at the statement.
      this.closeBrace();
      this.includeWithoutArgs(name, args, lx.start);
      if (this.crossplaneMode) {
        // crossplane uses the `}` up as the statement's terminator and stays in the block.
        this.directive(name, nameStart, nameEnd, line, args, lx.end, null, trailing);
        return true;
      }
      // crossplane's statement would differ (it includes the `}`), so its payload needs a re-parse.
      this.differs = true;
      const d = this.directive(name, nameStart, nameEnd, line, args, end, null, trailing);
      if (this.frames.length === 0) {
        this.report('unexpected "}"', lx.start, lx.end);
        return true;
      }
      this.syntaxProblem({
        kind: 'syntax',
        message: 'missing ";" before "}"',
        span: { file: this.file, start: lx.start, end: lx.end },
        related: [{ span: d.nameSpan, message: `the "${name}" directive needs a ";"` }],
      });
      this.closeBlock(lx.start, lx.end);
      return true;
    }
  }

  /**
   * A statement that is only an envsubst placeholder (`${HTTPS_CONFIG}` alone on its line, or
   * before a `}`) is filled with whole statements when the template is rendered: it has no `;`
   * of its own, and the statements after it are not its arguments.
   */
  private placeholderStatementAt(name: string, nameEnd: number): boolean {
    if (!PLACEHOLDER_STATEMENT.test(name)) return false;
    const text = this.text;
    for (let i = nameEnd; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) continue;
      // A line break, a comment, a `}`, a `;` or the end: nothing on the line is an argument.
      return c === 10 || c === 13 || c === 35 || c === 125 || c === 59;
    }
    return true;
  }

  private placeholderStatement(name: string, nameStart: number, nameEnd: number, line: number): void {
    const file = this.file;
    // crossplane takes the next statement's words as this one's arguments.
    this.differs = true;
    let end = nameEnd;
    let i = nameEnd;
    while (i < this.text.length && (this.text.charCodeAt(i) === 32 || this.text.charCodeAt(i) === 9)) i++;
    if (this.text.charCodeAt(i) === 59) {
      this.pull();
      end = this.lx.end;
    }
    const d: NginxDirective = {
      type: 'directive',
      name,
      nameSpan: { file, start: nameStart, end: nameEnd },
      args: [],
      line,
      span: { file, start: nameStart, end },
      terminator: end === nameEnd ? null : ';',
      placeholder: true,
    };
    this.nodes.push(d);
    this.problems.push({
      kind: 'not-analysed',
      message: `${name} is a placeholder for statements the template's renderer fills in; what it adds (timeouts, locations) is unknown, so the settings of this block are not taken as nginx defaults`,
      span: d.nameSpan,
    });
  }

  private pull(): number {
    const lx = this.lx;
    const kind = lx.next();
    if (lx.luaFatal !== undefined && this.fatal === undefined) {
      this.setFatal('expected { to start Lua block', 'none', lx.luaFatal.line, lx.luaFatal.offset);
    }
    if (kind !== TOKEN_EOF) this.lastEnd = lx.end;
    return kind;
  }

  /** A finished statement without a block, followed by any comments from between its arguments. */
  private directive(
    name: string, nameStart: number, nameEnd: number, line: number, args: NginxArg[], end: number,
    terminator: ';' | null, trailing: NginxComment[] | null,
  ): NginxDirective {
    const file = this.file;
    const d: NginxDirective = {
      type: 'directive',
      name,
      nameSpan: { file, start: nameStart, end: nameEnd },
      args,
      line,
      span: { file, start: nameStart, end },
      terminator,
    };
    this.nodes.push(d);
    if (trailing) for (const c of trailing) this.nodes.push(c);
    if (name === 'include' && this.frames.length <= MAX_BLOCK_DEPTH) this.includes.push(d);
    return d;
  }

  private openBlock(name: string, nameStart: number, nameEnd: number, line: number, args: NginxArg[], trailing: NginxComment[] | null): void {
    const lx = this.lx;
    const file = this.file;
    this.braceDepth++;
    const d: NginxDirective = {
      type: 'directive',
      name,
      nameSpan: { file, start: nameStart, end: nameEnd },
      args,
      line,
      span: { file, start: nameStart, end: lx.end },
      terminator: '{',
      block: [],
      blockOpen: lx.start,
    };
    if (this.frames.length < MAX_BLOCK_DEPTH) {
      this.nodes.push(d);
      if (name === 'include') this.includes.push(d);
    } else {
      // Left out of the tree (its statements are still read, so the braces stay balanced): every
      // walk over blocks stays shallow. The block's statements go to a list nothing refers to.
      this.leaveOutTooDeep(d);
    }
    this.frames.push({ directive: d, parent: this.nodes, trailing });
    this.nodes = d.block!;
  }

  private leaveOutTooDeep(d: NginxDirective): void {
    this.differs = true;
    if (this.tooDeep) return;
    this.tooDeep = true;
    if (this.crossplaneMode) {
      // crossplane recurses once per block and dies with Python's RecursionError long before this.
      this.setFatal('maximum recursion depth exceeded', 'bare', null, d.nameSpan.start);
      return;
    }
    this.problems.push({
      kind: 'not-analysed',
      message: `blocks nested more than ${MAX_BLOCK_DEPTH} levels deep are not analysed (the first is this "${d.name}" block and everything in it)`,
      span: d.nameSpan,
    });
  }

  private closeBlock(closeStart: number | undefined, closeEnd: number): void {
    const frame = this.frames.pop()!;
    const d = frame.directive;
    this.nodes = frame.parent;
    if (closeStart !== undefined) d.blockClose = closeStart;
    d.span.end = closeEnd;
    if (frame.trailing) for (const c of frame.trailing) this.nodes.push(c);
  }

  private comment(betweenArgs: boolean): NginxComment {
    const lx = this.lx;
    const node: NginxComment = { type: 'comment', text: lx.value, line: lx.line, span: { file: this.file, start: lx.start, end: lx.end } };
    if (betweenArgs) node.betweenArgs = true;
    return node;
  }

  /** crossplane reads `args[0]` of every include it finishes, and fails on one without arguments. */
  private includeWithoutArgs(name: string, args: NginxArg[], terminatorStart: number): void {
    if (name === 'include' && args.length === 0) this.setFatal('list index out of range', 'bare', null, terminatorStart);
  }

  private closeBrace(): void {
    if (--this.braceDepth < 0) this.setFatal('unexpected "}"', 'file', this.lx.line, this.lx.start);
  }

  private setFatal(reason: string, format: CrossplaneFatal['format'], line: number | null, offset: number): void {
    if (this.fatal === undefined) this.fatal = { reason, format, line, offset };
  }

  private report(message: string, start: number, end: number): void {
    this.syntaxProblem({ kind: 'syntax', message, span: { file: this.file, start, end } });
  }

  /**
   * A file that is not nginx at all (8 MB of `;`) would otherwise make one problem object per token:
   * gigabytes, and seconds of work for findings nobody reads past the first screen. The first
   * MAX_SYNTAX_PROBLEMS are kept; the rest are counted and said in one last problem.
   */
  private syntaxProblem(problem: Problem): void {
    if (this.problems.length < MAX_SYNTAX_PROBLEMS) {
      this.problems.push(problem);
    } else this.syntaxLeftOut++;
  }

  private endOfFile(unterminated: NginxDirective | null): void {
    // crossplane processed every statement before an unterminated last one, but not that one.
    const offset = unterminated ? unterminated.nameSpan.start : this.text.length;
    if (this.braceDepth > 0) this.setFatal('unexpected end of file, expecting "}"', 'file', this.lx.lastTokenLine, offset);
    else if (unterminated) this.setFatal('', 'bare', null, offset);
    // A string or Lua block left open swallowed the rest of the file; that one problem says it all.
    const quiet = this.crossplaneMode || this.lx.unterminated;
    if (unterminated && !quiet) {
      const last = unterminated.args[unterminated.args.length - 1]?.span ?? unterminated.nameSpan;
      this.report('unexpected end of file, expecting ";" or "}"', last.start, last.end);
    }
    while (this.frames.length > 0) {
      const d = this.frames[this.frames.length - 1]!.directive;
      const leftOut = this.frames.length > MAX_BLOCK_DEPTH;
      if (!quiet && !leftOut) this.report(`unexpected end of file, expecting "}" to close the "${d.name}" block`, d.blockOpen!, d.blockOpen! + 1);
      this.closeBlock(undefined, Math.max(this.lastEnd, d.span.end));
    }
  }
}

/**
 * crossplane's `_prepare_if_args`: when the first argument starts with `(` and the last ends with
 * `)`, one of each is removed, the exposed whitespace stripped, and an emptied first or last
 * argument dropped. Spans keep covering the whole token.
 */
function prepareIfArgs(args: NginxArg[]): NginxArg[] {
  if (args.length === 0 || !args[0]!.value.startsWith('(') || !args[args.length - 1]!.value.endsWith(')')) return args;
  const first = args[0]!;
  first.value = pyLstrip(first.value.slice(1));
  const last = args[args.length - 1]!;
  last.value = pyRstrip(last.value.slice(0, -1));
  const start = first.value === '' ? 1 : 0;
  const end = args.length - (last.value === '' ? 1 : 0);
  return args.slice(start, Math.max(start, end));
}

function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && isPySpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function pyRstrip(s: string): string {
  let i = s.length;
  while (i > 0 && isPySpace(s.charCodeAt(i - 1))) i--;
  return s.slice(0, i);
}
