// Text helpers: decoding bytes as the engine sees them, and converting offsets to lines and columns.

export interface DecodedText {
  /** The text with a leading BOM removed; offsets everywhere refer to this string. */
  text: string;
  hadBom: boolean;
  /** True when the bytes were not valid UTF-8 (invalid sequences became U+FFFD). */
  hadInvalidUtf8: boolean;
  /** The dominant line ending, used when a fix inserts new lines. */
  eol: '\n' | '\r\n';
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes file bytes as UTF-8 (replacement for invalid bytes) and strips a leading BOM. */
export function decodeText(bytes: Uint8Array): DecodedText {
  let text: string;
  let hadInvalidUtf8 = false;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    text = utf8Lenient.decode(bytes);
    hadInvalidUtf8 = true;
  }
  // One object literal (not a spread): thousands of these are cached, and each spread result gets a hidden class of its own.
  const hadBom = text.charCodeAt(0) === 0xfeff;
  const body = hadBom ? text.slice(1) : text;
  return { text: body, hadBom, hadInvalidUtf8, eol: detectEol(body) };
}

const decodedByBytes = new WeakMap<Uint8Array, DecodedText>();

/**
 * decodeText, once per bytes object: a caching file system hands out the same bytes while a file
 * is unchanged, and several readers (the nginx parser, the run's candidate scan) decode the same
 * file. One string per file instead of one per reader and run.
 */
export function decodeTextOnce(bytes: Uint8Array): DecodedText {
  return keptDecodedText(bytes) ?? keepDecodedText(bytes, decodeText(bytes));
}

/** The text decodeTextOnce (or keepDecodedText) kept for these bytes, if any. */
export function keptDecodedText(bytes: Uint8Array): DecodedText | undefined {
  return decodedByBytes.get(bytes);
}

/** Keeps a text decoded from these bytes for later decodeTextOnce calls (a reader that decoded first and decided to keep it after). */
export function keepDecodedText(bytes: Uint8Array, decoded: DecodedText): DecodedText {
  decodedByBytes.set(bytes, decoded);
  return decoded;
}

/** Strips a leading BOM from text that is already a string (an editor buffer). */
export function splitBom(raw: string): Omit<DecodedText, 'hadInvalidUtf8'> {
  const hadBom = raw.charCodeAt(0) === 0xfeff;
  const text = hadBom ? raw.slice(1) : raw;
  return { text, hadBom, eol: detectEol(text) };
}

export function detectEol(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}

/** Zero-based line and UTF-16 character, as LSP uses them. */
export interface Position {
  line: number;
  character: number;
}

/**
 * Maps offsets to positions. A line ends at `\n`, at `\r\n` (one break) or at a lone `\r`,
 * which is how editors count lines too.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // LF only (most files): the engine's indexOf beats a loop over every character.
      for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', lf + 1)) starts.push(lf + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low]! };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, position.line)]!;
    const next = this.lineStarts[position.line + 1] ?? this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** Offset where a zero-based line starts. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }

  /** The text of a zero-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = this.lineStarts[line + 1] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}

/** The leading whitespace of the line that contains `offset`. */
export function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}
