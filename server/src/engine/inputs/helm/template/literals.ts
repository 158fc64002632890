// Go literals inside actions: numbers and character constants (with Go's int/float readings), interpreted and raw strings.
import type { ArgNode } from './ast.js';
import { TemplateSyntaxError, type Token } from './lexer.js';

/** A number or character constant, with its int and float readings as Go's NumberNode keeps them. */
export function parseNumber(token: Token): ArgNode {
  const base = { type: 'number' as const, text: token.text, start: token.start, end: token.end };
  if (token.kind === 'char') {
    const text = unquoteGo(token.text.slice(1, -1), "'", token.start);
    const rune = text.codePointAt(0);
    if (rune === undefined || [...text].length !== 1) throw new TemplateSyntaxError(`malformed character constant: ${token.text}`, token.start);
    return { ...base, int: BigInt(rune), float: rune, isFloatText: false };
  }
  const text = token.text.replace(/_/g, '');
  if (/i$/.test(text)) throw new TemplateSyntaxError(`complex numbers are not supported: ${token.text}`, token.start);
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = text.replace(/^[+-]/, '');
  let int: bigint | undefined;
  const isHex = /^0[xX]/.test(body);
  try {
    if (/^0[xX][0-9a-fA-F]+$|^0[bB][01]+$|^0[oO][0-7]+$/.test(body)) int = sign * BigInt(body.toLowerCase());
    else if (/^0[0-7]*$/.test(body)) int = sign * BigInt(body.length > 1 ? `0o${body.slice(1)}` : body);
    else if (/^[1-9][0-9]*$/.test(body)) int = sign * BigInt(body);
  } catch {
    int = undefined;
  }
  if (int !== undefined && (int > 9223372036854775807n || int < -9223372036854775808n)) throw new TemplateSyntaxError(`${token.text} overflows int`, token.start);
  const isFloatText = !isHex && /[.eE]/.test(body);
  let float: number | undefined = int !== undefined ? Number(int) : undefined;
  if (int === undefined) {
    if (isHex || !/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) throw new TemplateSyntaxError(`illegal number syntax: ${token.text}`, token.start);
    float = Number(sign) * Number(body);
    if (!Number.isFinite(float)) throw new TemplateSyntaxError(`illegal number syntax: ${token.text}`, token.start);
    // Go: a float constant with an integral value is an int too ("1.0" can be passed where an int is wanted).
    if (Number.isInteger(float) && Math.abs(float) < 2 ** 63) int = BigInt(float);
  }
  return { ...base, int, float, isFloatText };
}

export function unquote(token: Token): string {
  if (token.kind === 'rawString') return token.text.slice(1, -1).replace(/\r/g, '');
  return unquoteGo(token.text.slice(1, -1), '"', token.start);
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Interprets Go escape sequences in a quoted string or character constant body. */
function unquoteGo(body: string, quote: '"' | "'", offset: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new TemplateSyntaxError('invalid escape in quoted string', offset);
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === quote) out += e;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new TemplateSyntaxError('invalid escape in quoted string', offset);
      const code = parseInt(hex, 16);
      if (e !== 'x' && (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))) throw new TemplateSyntaxError('invalid escape in quoted string', offset);
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += width;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new TemplateSyntaxError('invalid escape in quoted string', offset);
      out += String.fromCharCode(parseInt(oct, 8) & 0xff);
      i += 2;
    } else throw new TemplateSyntaxError('invalid escape in quoted string', offset);
  }
  return out;
}
