// A strict JSON parser (RFC 8259, what JSON.parse accepts) that also records where every value and key is, by JSON pointer.

/** Half-open UTF-16 offsets into the parsed text. */
export interface JsonSpan {
  start: number;
  end: number;
}

export interface JsonParseResult {
  /** The parsed value; undefined when `error` is set. */
  value?: unknown;
  error?: { message: string; offset: number };
  /** Where each value is, by JSON pointer ('' is the whole document, '/a/0' the first item of a). */
  valueSpans: Map<string, JsonSpan>;
  /** Where each object key is, by the JSON pointer of its value. */
  keySpans: Map<string, JsonSpan>;
}

/**
 * Nesting deeper than this is an error instead of a stack overflow: the configuration file comes
 * from the workspace, which may be hostile, and no real configuration nests past a handful.
 */
const MAX_DEPTH = 64;

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Parses `text` as JSON. Never throws: a syntax error is returned with the offset where it was
 * found. Objects get their keys as own data properties, as JSON.parse does, so a key named
 * `__proto__` is a plain key and never changes an object's prototype.
 */
export function parseJsonWithPositions(text: string): JsonParseResult {
  const parser = new Parser(text);
  try {
    parser.skipWhitespace();
    const value = parser.parseValue('', 0);
    parser.skipWhitespace();
    if (parser.offset < text.length) parser.fail('unexpected text after the JSON value');
    return { value, valueSpans: parser.valueSpans, keySpans: parser.keySpans };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { error: { message: error.message, offset: error.offset }, valueSpans: parser.valueSpans, keySpans: parser.keySpans };
  }
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  offset = 0;
  readonly valueSpans = new Map<string, JsonSpan>();
  readonly keySpans = new Map<string, JsonSpan>();

  constructor(private readonly text: string) {}

  fail(message: string, at = this.offset): never {
    throw new JsonSyntaxError(message, at);
  }

  skipWhitespace(): void {
    const text = this.text;
    while (this.offset < text.length) {
      const c = text.charCodeAt(this.offset);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.offset++;
    }
  }

  parseValue(pointer: string, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const start = this.offset;
    const value = this.parseValueAt(pointer, depth);
    this.valueSpans.set(pointer, { start, end: this.offset });
    return value;
  }

  private parseValueAt(pointer: string, depth: number): unknown {
    const c = this.text[this.offset];
    if (c === '{') return this.parseObject(pointer, depth);
    if (c === '[') return this.parseArray(pointer, depth);
    if (c === '"') return this.parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.offset)) {
        this.offset += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.offset;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.offset += number[0].length;
      return Number(number[0]);
    }
    if (c === undefined) this.fail('unexpected end of the file, expected a value');
    this.fail(`unexpected ${describeChar(c)}, expected a value`);
  }

  private parseObject(pointer: string, depth: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return object;
    }
    for (;;) {
      if (this.text[this.offset] !== '"') this.expected('a property name in double quotes');
      const keyStart = this.offset;
      const key = this.parseString();
      const child = `${pointer}/${pointerSegment(key)}`;
      this.keySpans.set(child, { start: keyStart, end: this.offset });
      this.skipWhitespace();
      if (this.text[this.offset] !== ':') this.expected('":"');
      this.offset++;
      this.skipWhitespace();
      const value = this.parseValue(child, depth + 1);
      // As JSON.parse: an own data property, even for "__proto__"; a repeated key keeps its last value.
      Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.offset++;
      if (next === '}') return object;
      if (next !== ',') {
        this.offset--;
        this.expected('"," or "}"');
      }
      this.skipWhitespace();
    }
  }

  private parseArray(pointer: string, depth: number): unknown[] {
    const array: unknown[] = [];
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return array;
    }
    for (;;) {
      array.push(this.parseValue(`${pointer}/${array.length}`, depth + 1));
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.offset++;
      if (next === ']') return array;
      if (next !== ',') {
        this.offset--;
        this.expected('"," or "]"');
      }
      this.skipWhitespace();
    }
  }

  private parseString(): string {
    const text = this.text;
    let out = '';
    let from = ++this.offset;
    for (;;) {
      if (this.offset >= text.length) this.fail('unterminated string');
      const c = text.charCodeAt(this.offset);
      if (c === 0x22) {
        out += text.slice(from, this.offset++);
        return out;
      }
      if (c < 0x20) this.fail('control character in a string (write it as an escape)');
      if (c !== 0x5c) {
        this.offset++;
        continue;
      }
      out += text.slice(from, this.offset);
      const escape = text[this.offset + 1];
      if (escape === 'u') {
        const hex = text.slice(this.offset + 2, this.offset + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.offset += 6;
      } else if (escape !== undefined && ESCAPES[escape] !== undefined) {
        out += ESCAPES[escape];
        this.offset += 2;
      } else {
        this.fail('invalid escape in a string');
      }
      from = this.offset;
    }
  }

  private expected(what: string): never {
    const c = this.text[this.offset];
    this.fail(c === undefined ? `unexpected end of the file, expected ${what}` : `unexpected ${describeChar(c)}, expected ${what}`);
  }
}

function describeChar(c: string): string {
  return /^[\x21-\x7e]$/.test(c) ? `"${c}"` : `character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
