// A fast reader for the plain block YAML that most manifests are written in: block mappings and
// sequences of one-line scalars and literal block scalars (`|`, `|-`: embedded configs, scripts),
// with comments and `---` separators. It builds the same nodes the
// yaml package builds (YAMLMap, YAMLSeq, Pair, Scalar with the same ranges, values and types), so
// everything downstream (views, rules, fixes) reads them alike; comments are not attached to nodes
// (nothing here reads them).
//
// Why: the yaml package lexes and parses through generators and allocates hundreds of bytes per
// input byte; on a workspace of small manifests it was the largest single cost of a cold run and a
// large share of its garbage collection. This reader handles the common subset in one pass over
// the text and gives up (returns undefined) on anything else: flow collections that span lines,
// nest or hold anything but one-line scalars, folded and keep-chomping block scalars, multi-line or escaped scalars, anchors, aliases, tags, quoted or complex
// keys, directives, empty documents, tabs, CR line ends, and comment lines whose placement could
// move a node's range. The caller then uses the yaml package, which also reports every error: this
// reader never produces one. test/unit/yaml-block-reader.test.ts compares both on every YAML
// text it can find.
import { Document, isScalar, Pair, Scalar, YAMLMap, YAMLSeq, type DocumentOptions, type Node, type ParseOptions, type ScalarTag, type SchemaOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
const GIVE_UP = Symbol('give up');

// Characters the subset never holds anywhere: tabs (indentation rules differ), CR (line ends),
// other control characters, a byte order mark and the Unicode line separators.
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

// Longest key the subset reads (the yaml package reports implicit keys past 1024 characters).
const MAX_KEY = 1000;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const QUOTE_DOUBLE = 0x22;
const QUOTE_SINGLE = 0x27;
const BACKSLASH = 0x5c;
const PIPE = 0x7c;

/** Whether a scalar or key may not start with this character in the subset (YAML indicators, and the quotes and brackets it reads apart). */
function isIndicator(code: number): boolean {
  switch (code) {
    case 0x26: // & anchor
    case 0x2a: // * alias
    case 0x21: // ! tag
    case 0x7c: // | literal block scalar
    case 0x3e: // > folded block scalar
    case 0x25: // % directive
    case 0x40: // @ reserved
    case 0x60: // ` reserved
    case 0x2c: // , flow separator
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case HASH:
    case QUOTE_DOUBLE:
    case QUOTE_SINGLE:
      return true;
    default:
      return false;
  }
}

interface Block {
  node: Node;
  /** The start of the next line with content (or the end of the text). */
  next: number;
}

/** Whether the last node of a collection, followed down, is a null with no text and no comment (`key:` at the end). */
function endsInBareNull(node: Node): boolean {
  let current: unknown = node;
  for (;;) {
    if (current instanceof YAMLMap || current instanceof YAMLSeq) {
      if (current.flow || current.items.length === 0) return false;
      const item: unknown = current.items[current.items.length - 1];
      current = item instanceof Pair ? item.value : item;
      continue;
    }
    return isScalar(current) && current.value === null && current.range![0] === current.range![2];
  }
}

class BlockReader {
  private readonly length: number;
  private document!: Document.Parsed;

  constructor(
    private readonly text: string,
    private readonly options: Options,
  ) {
    this.length = text.length;
  }

  documents(): Document.Parsed[] {
    const out: Document.Parsed[] = [];
    let at = this.skipLines(0);
    while (at < this.length) {
      const start = at;
      let marker = false;
      if (this.isDocumentMarker(at)) {
        marker = true;
        at = this.skipLines(this.lineEnd(at) + 1);
        // An empty document (`---` then another `---` or the end): the yaml package's business.
        if (at >= this.length || this.isDocumentMarker(at)) throw GIVE_UP;
      } else if (out.length > 0) {
        throw GIVE_UP;
      }
      const first = this.text.charCodeAt(at);
      if (at === this.lineStart(at) && (first === 0x25 || (first === 0x2e && this.text.startsWith('...', at)))) throw GIVE_UP;
      const document = new Document(undefined, this.options) as Document.Parsed;
      if (marker) document.directives.docStart = true;
      this.document = document;
      const root = this.block(at);
      const contentEnd = root.node.range![2];
      this.checkCommentsBefore(contentEnd, root.next, 0);
      if (root.next < this.length && !this.isDocumentMarker(root.next)) throw GIVE_UP;
      document.contents = root.node as unknown as Document.Parsed['contents'];
      // A document ends where the next one's `---` starts, or at the end of the text (trailing blank
      // and comment lines included), unless it ends in a null written as nothing: the yaml package
      // then ends it there.
      document.range = [start, contentEnd, endsInBareNull(root.node) ? contentEnd : root.next];
      out.push(document);
      at = root.next;
    }
    if (out.length === 0) throw GIVE_UP;
    return out;
  }

  /** A block collection whose first line starts at `line`. */
  private block(line: number): Block {
    const indent = this.indentOf(line);
    const at = line + indent;
    if (this.isSequenceEntry(at)) return this.sequence(at, indent);
    if (this.keyColon(at) >= 0) return this.mapping(at, indent);
    // A scalar or flow collection on a line of its own (multi-line plain scalars among them).
    throw GIVE_UP;
  }

  private mapping(first: number, column: number): Block {
    const map = new YAMLMap(this.document.schema);
    let at = first;
    let end = first;
    for (;;) {
      const colon = this.keyColon(at);
      if (colon < 0) throw GIVE_UP;
      const key = this.plainScalar(at, colon, colon, true);
      const lineEnd = this.lineEnd(at);
      const rest = this.skipSpaces(colon + 1, lineEnd);
      const { node: value, next, sequenceAtColumn } = this.valueAfter(rest, lineEnd, column, true) ?? this.inline(rest, lineEnd, column);
      map.items.push(new Pair(key, value));
      end = value.range![2];
      if (sequenceAtColumn && this.hasCommentLine(this.lineStart(end) === end ? end : this.lineEnd(end) + 1, next)) throw GIVE_UP;
      if (next >= this.length || this.isDocumentMarker(next)) return this.finish(map, first, end, next);
      const indent = this.indentOf(next);
      if (indent < column) {
        this.checkCommentsBefore(end, next, indent);
        return this.finish(map, first, end, next);
      }
      if (indent > column || this.isSequenceEntry(next + indent)) throw GIVE_UP;
      this.checkCommentsBefore(end, next, indent);
      at = next + indent;
    }
  }

  private sequence(first: number, column: number): Block {
    const seq = new YAMLSeq(this.document.schema);
    let at = first;
    let end = first;
    for (;;) {
      const lineEnd = this.lineEnd(at);
      const rest = this.skipSpaces(at + 1, lineEnd);
      // `- - x` (a compact nested sequence) is left to the yaml package; `- key: value` starts a mapping at the key's column.
      if (rest < lineEnd && this.isSequenceEntry(rest)) throw GIVE_UP;
      const compact = rest < lineEnd && this.text.charCodeAt(rest) !== HASH && this.keyColon(rest) >= 0;
      const { node: value, next } = this.valueAfter(rest, lineEnd, column, false) ?? (compact ? this.mapping(rest, rest - this.lineStart(rest)) : this.inline(rest, lineEnd, column));
      seq.items.push(value);
      end = value.range![2];
      if (next >= this.length || this.isDocumentMarker(next)) return this.finish(seq, first, end, next);
      const indent = this.indentOf(next);
      if (indent > column) throw GIVE_UP;
      this.checkCommentsBefore(end, next, indent);
      if (indent < column || !this.isSequenceEntry(next + indent)) return this.finish(seq, first, end, next);
      at = next + indent;
    }
  }

  /**
   * The value after a `key:` or `-` with nothing more on its line (spaces and a comment aside): the
   * block on the following lines when they are indented deeper (or, after a key, a sequence at the
   * key's own column), else a null. Undefined when the line goes on with a value.
   */
  private valueAfter(rest: number, lineEnd: number, column: number, afterKey: boolean): (Block & { sequenceAtColumn: boolean }) | undefined {
    if (rest < lineEnd && this.text.charCodeAt(rest) !== HASH) return undefined;
    const following = this.skipLines(lineEnd + 1);
    const indent = following < this.length ? this.indentOf(following) : -1;
    const sequenceAtColumn = afterKey && indent === column && following < this.length && this.isSequenceEntry(following + indent);
    if (following < this.length && !this.isDocumentMarker(following) && (indent > column || sequenceAtColumn)) {
      this.checkCommentsBefore(lineEnd + 1, following, indent);
      // A sequence at the key's own column: a comment line at that column after it belongs to it.
      return { ...this.block(following), sequenceAtColumn };
    }
    return { node: this.emptyScalar(rest, lineEnd, following), next: following, sequenceAtColumn: false };
  }

  /** A one-line value (scalar, `[]` or `{}`); the next content line may not be indented deeper (a continuation). */
  private inline(rest: number, lineEnd: number, column: number): Block & { sequenceAtColumn: boolean } {
    if (this.text.charCodeAt(rest) === PIPE) return { ...this.literalBlock(rest, lineEnd, column), sequenceAtColumn: false };
    const node = this.inlineValue(rest, lineEnd);
    const next = this.skipLines(lineEnd + 1);
    if (next < this.length && this.indentOf(next) > column) throw GIVE_UP;
    return { node, next, sequenceAtColumn: false };
  }

  /**
   * A literal block scalar, `|` (clip) or `|-` (strip), its indentation taken from its first line:
   * the text of the lines indented at least that much, that indentation removed. The subset leaves to
   * the yaml package `|+`, an indentation digit, folded `>`, an empty block, blank lines before the
   * first line and lines of spaces only (where indentation rules decide what is text).
   */
  private literalBlock(at: number, lineEnd: number, column: number): Block {
    let header = at + 1;
    const strip = this.text.charCodeAt(header) === DASH;
    if (strip) header++;
    this.expectLineRest(header, lineEnd);
    const first = lineEnd + 1;
    if (first >= this.length) throw GIVE_UP;
    const indent = this.indentOf(first);
    if (indent <= column || this.isBlankAt(first + indent, this.length)) throw GIVE_UP;
    const lines: string[] = [];
    let blanks = 0;
    let end = first;
    let line = first;
    while (line < this.length) {
      const lineIndent = this.indentOf(line);
      const contentEnd = this.lineEnd(line);
      if (line + lineIndent === contentEnd) {
        // An empty line is part of the text (as a line break) if text follows it; spaces alone are left to the yaml package.
        if (lineIndent > 0) throw GIVE_UP;
        blanks++;
        line = contentEnd + 1;
        continue;
      }
      if (lineIndent < indent) break;
      for (; blanks > 0; blanks--) lines.push('');
      lines.push(this.text.slice(line + indent, contentEnd));
      end = contentEnd < this.length ? contentEnd + 1 : contentEnd;
      line = end;
    }
    const value = strip ? lines.join('\n') : `${lines.join('\n')}\n`;
    const scalar = new Scalar(value);
    scalar.range = [at, end, end];
    scalar.source = value;
    scalar.type = 'BLOCK_LITERAL';
    const next = this.skipLines(end);
    if (next < this.length && this.indentOf(next) > column) throw GIVE_UP;
    return { node: scalar, next };
  }

  private finish<T extends YAMLMap | YAMLSeq>(node: T, start: number, end: number, next: number): Block {
    node.range = [start, end, end];
    return { node, next };
  }

  /** A scalar (or `[]`/`{}`) that fills the rest of a line from `at`, with an optional comment after it. */
  private inlineValue(at: number, lineEnd: number): Node {
    const nodeEnd = lineEnd < this.length ? lineEnd + 1 : lineEnd;
    const code = this.text.charCodeAt(at);
    if (code === QUOTE_DOUBLE || code === QUOTE_SINGLE) {
      const close = this.closingQuote(at, lineEnd, code);
      this.expectLineRest(close + 1, lineEnd);
      return this.quotedScalar(at, close, nodeEnd);
    }
    if (code === 0x5b || code === 0x7b) {
      const { collection, end } = this.flowCollection(at, lineEnd);
      this.expectLineRest(end, lineEnd);
      collection.range = [at, end, nodeEnd];
      return collection;
    }
    if (isIndicator(code) || ((code === DASH || code === COLON || code === 0x3f) && this.isBlankAt(at + 1, lineEnd))) throw GIVE_UP;
    let valueEnd = lineEnd;
    for (let i = at + 1; i < lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (c === HASH && this.text.charCodeAt(i - 1) === SPACE) {
        valueEnd = i;
        break;
      }
      // `a: b: c` is an error; `- a: b` was taken as a mapping before this.
      if (c === COLON && this.isBlankAt(i + 1, lineEnd)) throw GIVE_UP;
    }
    while (valueEnd > at && this.text.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
    return this.plainScalar(at, valueEnd, nodeEnd, false);
  }

  /**
   * A flow collection closed on its own line: `[]`, `{}`, `["--port", 8080]`, `{ cpu: 100m, memory: "256Mi" }`.
   * Items are one-line scalars (plain or quoted), a map's keys plain; anything else (nesting, empty
   * or implicit entries, `?`, a trailing comma, spaces before a comma, `:` or ` #` in a plain item)
   * is left to the yaml package. An item's node ends after the spaces that follow it when a bracket
   * closes the collection after them, as the yaml package ends it.
   */
  private flowCollection(at: number, lineEnd: number): { collection: YAMLMap | YAMLSeq; end: number } {
    const isMap = this.text.charCodeAt(at) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const collection = isMap ? new YAMLMap(this.document.schema) : new YAMLSeq(this.document.schema);
    collection.flow = true;
    if (this.text.charCodeAt(at + 1) === close) return { collection, end: at + 2 };
    let i = this.skipSpaces(at + 1, lineEnd);
    for (;;) {
      let key: Scalar | undefined;
      if (isMap) {
        const keyEnd = this.flowPlainEnd(i, lineEnd);
        if (this.text.charCodeAt(keyEnd) !== COLON || this.text.charCodeAt(keyEnd + 1) !== SPACE) throw GIVE_UP;
        key = this.plainScalar(i, keyEnd, keyEnd, true);
        i = this.skipSpaces(keyEnd + 1, lineEnd);
      }
      const { start, valueEnd, quoted } = this.flowItem(i, lineEnd);
      const after = this.skipSpaces(valueEnd, lineEnd);
      const next = this.text.charCodeAt(after);
      if (next !== 0x2c && next !== close) throw GIVE_UP;
      // Spaces before a comma are the yaml package's to place.
      if (next === 0x2c && after !== valueEnd) throw GIVE_UP;
      const value = quoted ? this.quotedScalar(start, valueEnd - 1, after) : this.plainScalar(start, valueEnd, after, false);
      if (key) collection.items.push(new Pair(key, value));
      else (collection as YAMLSeq).items.push(value);
      if (next === close) return { collection, end: after + 1 };
      i = this.skipSpaces(after + 1, lineEnd);
      if (this.text.charCodeAt(i) === close || this.text.charCodeAt(i) === 0x2c) throw GIVE_UP;
    }
  }

  /** Where a flow item that starts at `at` ends (before its trailing spaces), and whether it is quoted. */
  private flowItem(at: number, lineEnd: number): { start: number; valueEnd: number; quoted: boolean } {
    const code = this.text.charCodeAt(at);
    if (code === QUOTE_DOUBLE || code === QUOTE_SINGLE) return { start: at, valueEnd: this.closingQuote(at, lineEnd, code) + 1, quoted: true };
    const end = this.flowPlainEnd(at, lineEnd);
    if (this.text.charCodeAt(end) === COLON) throw GIVE_UP;
    return { start: at, valueEnd: end, quoted: false };
  }

  /** The end of a plain scalar in a flow collection (before trailing spaces): it stops at `,`, a bracket or `:`. */
  private flowPlainEnd(at: number, lineEnd: number): number {
    const first = this.text.charCodeAt(at);
    if (at >= lineEnd || isIndicator(first) || first === HASH || first === COLON || first === 0x3f || first === QUOTE_DOUBLE || first === QUOTE_SINGLE || first === SPACE || (first === DASH && this.isBlankAt(at + 1, lineEnd))) throw GIVE_UP;
    let end = at + 1;
    for (; end < lineEnd; end++) {
      const c = this.text.charCodeAt(end);
      if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === COLON) break;
      if (c === HASH && this.text.charCodeAt(end - 1) === SPACE) throw GIVE_UP;
      if (c === QUOTE_DOUBLE || c === QUOTE_SINGLE) throw GIVE_UP;
    }
    if (end === lineEnd) throw GIVE_UP;
    while (this.text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /** A one-line quoted scalar from its opening quote at `at` to its closing quote at `close`. */
  private quotedScalar(at: number, close: number, nodeEnd: number): Scalar {
    const quote = this.text.charCodeAt(at);
    const inner = this.text.slice(at + 1, close);
    const value = quote === QUOTE_SINGLE ? inner.replaceAll("''", "'") : inner;
    const scalar = new Scalar(value);
    scalar.range = [at, close + 1, nodeEnd];
    scalar.source = value;
    scalar.type = quote === QUOTE_DOUBLE ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    return scalar;
  }

  /** A plain scalar resolved as the yaml package resolves it: the schema's first default tag whose test matches, else a string. */
  private plainScalar(start: number, end: number, nodeEnd: number, atKey: boolean): Scalar {
    const source = this.text.slice(start, end);
    // Collection tags have no test, so the match is a scalar tag.
    const tag = this.document.schema.tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source)) as ScalarTag | undefined;
    let scalar: Scalar;
    if (tag?.resolve) {
      const resolved = tag.resolve(
        source,
        () => {
          throw GIVE_UP;
        },
        this.document.options,
      );
      scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
      if (tag.format) scalar.format = tag.format;
    } else if (tag) {
      throw GIVE_UP;
    } else {
      scalar = new Scalar(source);
    }
    scalar.range = [start, end, nodeEnd];
    scalar.source = source;
    scalar.type = 'PLAIN';
    return scalar;
  }

  /**
   * The null a key or `-` with nothing after it stands for: where the spaces end, or at its comment.
   * The yaml package lets a commented one run over the next line's indentation, and gives either
   * kind the comment lines that follow it; where blank lines follow a commented one its end moves
   * in ways the subset leaves to the yaml package.
   */
  private emptyScalar(at: number, lineEnd: number, following: number): Scalar {
    if (at === lineEnd ? this.hasCommentLine(lineEnd + 1, following) : following !== Math.min(lineEnd + 1, this.length)) throw GIVE_UP;
    // A comment line before its entry moves its end too.
    if (this.followsCommentLine(this.lineStart(at))) throw GIVE_UP;
    const scalar = new Scalar(null);
    const nodeEnd = at === lineEnd ? at : following < this.length ? following + this.indentOf(following) : this.length;
    scalar.range = [at, at, nodeEnd];
    scalar.source = '';
    scalar.type = 'PLAIN';
    return scalar;
  }

  /** The `:` that ends a plain key starting at `at` on its line, or -1 when the line holds no such key. */
  private keyColon(at: number): number {
    const code = this.text.charCodeAt(at);
    if (isIndicator(code) || code === 0x3f || code === COLON || (code === DASH && this.isBlankAt(at + 1, this.length))) return -1;
    const limit = Math.min(this.lineEnd(at), at + MAX_KEY);
    for (let i = at + 1; i < limit; i++) {
      const c = this.text.charCodeAt(i);
      if (c === COLON && (i + 1 === this.length || this.text.charCodeAt(i + 1) === SPACE || this.text.charCodeAt(i + 1) === NEWLINE)) {
        // Spaces before the colon, or quotes in the key: left to the yaml package.
        if (this.text.charCodeAt(i - 1) === SPACE) throw GIVE_UP;
        return i;
      }
      if (c === HASH && this.text.charCodeAt(i - 1) === SPACE) return -1;
      if (c === QUOTE_DOUBLE || c === QUOTE_SINGLE) return -1;
    }
    return -1;
  }

  /** The closing quote of a one-line quoted scalar (escapes and line breaks are left to the yaml package). */
  private closingQuote(at: number, lineEnd: number, quote: number): number {
    for (let i = at + 1; i < lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (quote === QUOTE_DOUBLE && c === BACKSLASH) throw GIVE_UP;
      if (c === quote) {
        if (quote === QUOTE_SINGLE && this.text.charCodeAt(i + 1) === QUOTE_SINGLE) {
          i++;
          continue;
        }
        return i;
      }
    }
    throw GIVE_UP;
  }

  /** After a value: only spaces, then the line end or a comment. */
  private expectLineRest(at: number, lineEnd: number): void {
    const rest = this.skipSpaces(at, lineEnd);
    if (rest === lineEnd) return;
    if (this.text.charCodeAt(rest) !== HASH || rest === at) throw GIVE_UP;
  }

  /**
   * Full-line comments between `from` and the next content line (at `indent`): the yaml package
   * attaches a comment indented otherwise to the node before it or to the end of a collection,
   * which moves that node's range; the subset keeps only comments at the next line's indent.
   */
  private checkCommentsBefore(from: number, next: number, indent: number): void {
    let line = this.lineStart(from) === from ? from : this.lineEnd(from) + 1;
    while (line < next) {
      const lineIndent = this.indentOf(line);
      const code = this.text.charCodeAt(line + lineIndent);
      if (code === HASH && lineIndent !== indent) throw GIVE_UP;
      line = this.lineEnd(line) + 1;
    }
  }

  /** Whether the last line before `line` (a line start) that is not blank is a comment line. */
  private followsCommentLine(line: number): boolean {
    while (line > 0) {
      line = this.lineStart(line - 1);
      const first = this.skipSpaces(line, this.length);
      const code = this.text.charCodeAt(first);
      if (code === HASH) return true;
      if (code !== NEWLINE) return false;
    }
    return false;
  }

  private hasCommentLine(line: number, next: number): boolean {
    while (line < next) {
      if (this.text.charCodeAt(line + this.indentOf(line)) === HASH) return true;
      line = this.lineEnd(line) + 1;
    }
    return false;
  }

  /** The start of the first line at or after `line` (a line start) that holds more than spaces and a comment. */
  private skipLines(line: number): number {
    while (line < this.length) {
      const first = this.skipSpaces(line, this.length);
      const code = this.text.charCodeAt(first);
      if (first < this.length && code !== NEWLINE && code !== HASH) return line;
      line = this.lineEnd(line) + 1;
    }
    return this.length;
  }

  private isDocumentMarker(line: number): boolean {
    if (!this.text.startsWith('---', line) || line !== this.lineStart(line)) return false;
    const lineEnd = this.lineEnd(line);
    if (this.skipSpaces(line + 3, lineEnd) !== lineEnd) throw GIVE_UP;
    return true;
  }

  private isSequenceEntry(at: number): boolean {
    return this.text.charCodeAt(at) === DASH && this.isBlankAt(at + 1, this.length);
  }

  /** Whether `at` is a space, a line end or the end of the text. */
  private isBlankAt(at: number, limit: number): boolean {
    if (at >= limit || at >= this.length) return true;
    const code = this.text.charCodeAt(at);
    return code === SPACE || code === NEWLINE;
  }

  private indentOf(line: number): number {
    let i = line;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - line;
  }

  private skipSpaces(at: number, limit: number): number {
    while (at < limit && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  private lineEnd(at: number): number {
    const end = this.text.indexOf('\n', at);
    return end < 0 ? this.length : end;
  }

  private lineStart(at: number): number {
    return at === 0 ? 0 : this.text.lastIndexOf('\n', at - 1) + 1;
  }
}

/**
 * The documents of a YAML text when it stays within the plain block subset (see the file comment),
 * exactly as the yaml package would compose them (without comments); undefined otherwise.
 */
export function readPlainBlockYaml(text: string, options: Options): Document.Parsed[] | undefined {
  if (UNSUPPORTED_TEXT.test(text)) return undefined;
  try {
    return new BlockReader(text, options).documents();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}
