// Parses Go text/template source into a syntax tree with spans, following Go's parser: control structures, pipelines, variable scopes, define/block.
import type { ArgNode, CommandNode, Node, ParsedTemplate, PipeNode } from './ast.js';
import { lex, TemplateSyntaxError, type Token, type TokenKind } from './lexer.js';
import { parseNumber, unquote } from './literals.js';

/** Control structures and parenthesised pipelines nest at most this deep, so no walk over the tree can overflow the stack. */
export const MAX_NESTING = 200;

export type ParseResult = { ok: true; template: ParsedTemplate } | { ok: false; reason: string; offset: number };

/** Parses one template source. Never throws: a syntax error is a result with its reason and offset. */
export function parseTemplate(name: string, source: string): ParseResult {
  try {
    const parser = new Parser(lex(source));
    const body = parser.parseTop();
    return { ok: true, template: { name, source, body, defines: parser.defines } };
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { ok: false, reason: error.message, offset: error.offset };
    if (error instanceof RangeError) return { ok: false, reason: 'template nests too deeply', offset: 0 };
    return { ok: false, reason: `unexpected parser failure: ${String(error)}`, offset: 0 };
  }
}

type ListEnd = { kind: 'end' | 'else'; start: number; end: number } | { kind: 'eof'; start: number; end: number };

class Parser {
  readonly defines = new Map<string, Node[]>();
  private pos = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseTop(): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof') return nodes;
      if (token.kind === 'leftDelim') {
        const save = this.pos;
        this.next();
        const keyword = this.peekNonSpace();
        if (keyword.kind === 'keyword' && keyword.text === 'define') {
          this.nextNonSpace();
          this.parseDefinition(token.start);
          continue;
        }
        this.pos = save;
      }
      const node = this.textOrAction();
      if ('kind' in node) throw new TemplateSyntaxError(`unexpected {{${node.kind}}}`, node.start);
      nodes.push(node);
    }
  }

  // ---- token helpers ----

  private peek(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  private peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.pos++;
    return this.peek();
  }

  private nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  private expect(kind: TokenKind, context: string): Token {
    const token = this.nextNonSpace();
    if (token.kind !== kind) throw this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Token, context: string): TemplateSyntaxError {
    const what = token.kind === 'eof' ? 'EOF' : token.kind === 'rightDelim' ? '"}}"' : JSON.stringify(token.text);
    return new TemplateSyntaxError(`unexpected ${what} in ${context}`, token.start);
  }

  private enter(offset: number): void {
    if (++this.depth > MAX_NESTING) throw new TemplateSyntaxError(`template nests deeper than ${MAX_NESTING} levels`, offset);
  }

  // ---- structure ----

  private parseDefinition(start: number): void {
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string' && nameToken.kind !== 'rawString') throw this.unexpected(nameToken, 'define clause');
    const name = unquote(nameToken);
    this.expect('rightDelim', 'define clause');
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = saved;
    if (end.kind !== 'end') throw new TemplateSyntaxError(end.kind === 'eof' ? `unexpected EOF in define "${name}"` : 'unexpected {{else}} in define', end.kind === 'eof' ? start : end.start);
    this.defines.set(name, list);
  }

  /** Nodes up to a matching `{{end}}` or `{{else}}` (returned, consumed). */
  private itemList(): [Node[], ListEnd] {
    const nodes: Node[] = [];
    for (;;) {
      if (this.peek().kind === 'eof') {
        const token = this.peek();
        return [nodes, { kind: 'eof', start: token.start, end: token.end }];
      }
      const node = this.textOrAction();
      if ('kind' in node) return [nodes, node];
      nodes.push(node);
    }
  }

  private textOrAction(): Node | ListEnd {
    const token = this.next();
    if (token.kind === 'text') return { type: 'text', text: token.text, start: token.start, end: token.end };
    if (token.kind === 'leftDelim') return this.action(token.start);
    throw this.unexpected(token, 'input');
  }

  private action(start: number): Node | ListEnd {
    const token = this.peekNonSpace();
    if (token.kind === 'keyword') {
      this.next();
      switch (token.text) {
        case 'block':
          return this.blockControl(start);
        case 'break':
        case 'continue': {
          if (this.rangeDepth === 0) throw new TemplateSyntaxError(`{{${token.text}}} outside {{range}}`, token.start);
          const close = this.expect('rightDelim', token.text);
          return { type: token.text, start, end: close.end };
        }
        case 'else':
          return this.elseControl(start);
        case 'end': {
          const close = this.expect('rightDelim', 'end');
          return { kind: 'end', start, end: close.end };
        }
        case 'if':
        case 'with':
        case 'range':
          return this.control(token.text, start);
        case 'template':
          return this.templateControl(start);
        case 'define':
          throw new TemplateSyntaxError('unexpected define: define is allowed only at the top level', token.start);
      }
    }
    const pipe = this.pipeline('command', 'rightDelim');
    const close = this.tokens[this.pos - 1]!;
    return { type: 'action', pipe, start, end: close.end };
  }

  private elseControl(start: number): ListEnd {
    // `{{else if …}}` and `{{else with …}}` leave the keyword for the enclosing control to chain on.
    const token = this.peekNonSpace();
    if (token.kind === 'keyword' && (token.text === 'if' || token.text === 'with')) return { kind: 'else', start, end: token.start };
    const close = this.expect('rightDelim', 'else');
    return { kind: 'else', start, end: close.end };
  }

  private control(context: 'if' | 'with' | 'range', start: number): Node {
    this.enter(start);
    const varsBefore = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range' && pipe.decl.length > 2) throw new TemplateSyntaxError('too many declarations in range', pipe.start);
    if (context !== 'range' && pipe.decl.length > 1) throw new TemplateSyntaxError(`too many declarations in ${context}`, pipe.start);
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: Node[] | null = null;
    let end = next.end;
    if (next.kind === 'eof') throw new TemplateSyntaxError(`unexpected EOF: {{${context}}} at offset ${start} has no {{end}}`, start);
    if (next.kind === 'else') {
      const chained = this.peekNonSpace();
      if ((context === 'if' || context === 'with') && chained.kind === 'keyword' && chained.text === context) {
        // `{{else if}}` is an if nested in the else branch that shares the outer {{end}}.
        this.next();
        const nested = this.control(context, next.start);
        elseList = [nested];
        end = nested.end;
      } else {
        const [list2, next2] = this.itemList();
        if (next2.kind !== 'end') throw new TemplateSyntaxError(next2.kind === 'eof' ? `unexpected EOF: {{${context}}} has no {{end}}` : `expected end; found {{else}}`, next2.start);
        elseList = list2;
        end = next2.end;
      }
    }
    this.vars.length = varsBefore;
    this.depth--;
    return { type: context, pipe, list, elseList, start, end } as Node;
  }

  private templateControl(start: number): Node {
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string' && nameToken.kind !== 'rawString') throw this.unexpected(nameToken, 'template clause');
    const name = unquote(nameToken);
    let pipe: PipeNode | null = null;
    if (this.peekNonSpace().kind !== 'rightDelim') pipe = this.pipeline('template clause', 'rightDelim');
    else this.next();
    const close = this.tokens[this.pos - 1]!;
    return { type: 'template', name, pipe, start, end: close.end };
  }

  private blockControl(start: number): Node {
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string' && nameToken.kind !== 'rawString') throw this.unexpected(nameToken, 'block clause');
    const name = unquote(nameToken);
    const pipe = this.pipeline('block clause', 'rightDelim');
    const close = this.tokens[this.pos - 1]!;
    this.enter(start);
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = saved;
    this.depth--;
    if (end.kind !== 'end') throw new TemplateSyntaxError(`unexpected ${end.kind === 'eof' ? 'EOF' : '{{else}}'} in block "${name}"`, end.start);
    this.defines.set(name, list);
    return { type: 'template', name, pipe, start, end: close.end };
  }

  // ---- pipelines ----

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { decl: [], isAssign: false, cmds: [], start: first.start, end: first.start };
    if (first.kind === 'variable') {
      const save = this.pos;
      this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.next();
        pipe.decl.push(first.text);
        pipe.isAssign = after.kind === 'assign';
        if (pipe.isAssign && !this.vars.includes(first.text)) throw new TemplateSyntaxError(`undefined variable "${first.text}"`, first.start);
      } else if (after.kind === 'comma' && context === 'range') {
        this.next();
        const second = this.nextNonSpace();
        if (second.kind !== 'variable') throw this.unexpected(second, 'range declaration');
        const op = this.nextNonSpace();
        if (op.kind !== 'declare' && op.kind !== 'assign') throw this.unexpected(op, 'range declaration');
        pipe.decl.push(first.text, second.text);
        pipe.isAssign = op.kind === 'assign';
      } else {
        this.pos = save;
      }
    }
    for (;;) {
      const token = this.peekNonSpace();
      if (token.kind === end) {
        this.next();
        if (pipe.cmds.length === 0) throw new TemplateSyntaxError(`missing value for ${context}`, token.start);
        pipe.end = pipe.cmds[pipe.cmds.length - 1]!.end;
        break;
      }
      if (isOperandStart(token.kind)) {
        pipe.cmds.push(this.command());
        continue;
      }
      throw this.unexpected(token, context);
    }
    for (const [i, cmd] of pipe.cmds.entries()) {
      const head = cmd.args[0]!;
      if (i > 0 && (head.type === 'bool' || head.type === 'dot' || head.type === 'nil' || head.type === 'number' || head.type === 'string')) {
        throw new TemplateSyntaxError(`non executable command in pipeline stage ${i + 1}`, head.start);
      }
    }
    // Declared variables become visible after the pipeline (Go: to the end of the enclosing control structure).
    if (!pipe.isAssign) for (const name of pipe.decl) this.vars.push(name);
    return pipe;
  }

  private command(): CommandNode {
    const args: ArgNode[] = [];
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const token = this.next();
      if (token.kind === 'space') continue;
      if (token.kind === 'rightDelim' || token.kind === 'rightParen') {
        this.pos--;
        break;
      }
      if (token.kind === 'pipe') break;
      throw this.unexpected(token, 'operand');
    }
    if (args.length === 0) throw new TemplateSyntaxError('empty command', this.peek().start);
    return { args, start: args[0]!.start, end: args[args.length - 1]!.end };
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().kind !== 'field') return node;
    const names: string[] = [];
    let end = node.end;
    while (this.peek().kind === 'field') {
      const field = this.next();
      names.push(field.text.slice(1));
      end = field.end;
    }
    switch (node.type) {
      case 'field':
        return { type: 'field', names: [...node.names, ...names], start: node.start, end };
      case 'variable':
        return { type: 'variable', name: node.name, names: [...node.names, ...names], start: node.start, end };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        throw new TemplateSyntaxError(`unexpected . after term ${JSON.stringify(this.tokens[this.pos - names.length - 1]?.text ?? '')}`, end);
      default:
        return { type: 'chain', node, names, start: node.start, end };
    }
  }

  private term(): ArgNode | null {
    const token = this.next();
    switch (token.kind) {
      case 'identifier':
        return { type: 'identifier', name: token.text, start: token.start, end: token.end };
      case 'dot':
        return { type: 'dot', start: token.start, end: token.end };
      case 'nil':
        return { type: 'nil', start: token.start, end: token.end };
      case 'variable':
        if (!this.vars.includes(token.text)) throw new TemplateSyntaxError(`undefined variable "${token.text}"`, token.start);
        return { type: 'variable', name: token.text, names: [], start: token.start, end: token.end };
      case 'field':
        return { type: 'field', names: [token.text.slice(1)], start: token.start, end: token.end };
      case 'bool':
        return { type: 'bool', value: token.text === 'true', start: token.start, end: token.end };
      case 'char':
      case 'number':
        return parseNumber(token);
      case 'leftParen': {
        this.enter(token.start);
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        this.depth--;
        const close = this.tokens[this.pos - 1]!;
        return { type: 'pipe', pipe, start: token.start, end: close.end };
      }
      case 'string':
      case 'rawString':
        return { type: 'string', value: unquote(token), start: token.start, end: token.end };
      default:
        this.pos--;
        return null;
    }
  }
}

function isOperandStart(kind: TokenKind): boolean {
  return ['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(kind);
}
