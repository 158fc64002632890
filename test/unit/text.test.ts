// LineIndex and decoding: CRLF, lone CR, BOM and invalid UTF-8.
import { describe, expect, it } from 'vitest';
import { decodeText, LineIndex, splitBom } from '../../server/src/engine/text.js';

describe('LineIndex', () => {
  it.each([
    ['LF', 'a\nbc\nd', 4, { line: 1, character: 2 }],
    ['CRLF counts as one break', 'a\r\nbc\r\nd', 7, { line: 2, character: 0 }],
    ['a lone CR breaks a line', 'a\rb', 2, { line: 1, character: 0 }],
    ['offset inside CRLF stays on the line', 'ab\r\nc', 3, { line: 0, character: 3 }],
    ['UTF-16: an astral character is two units', '😀x\ny', 2, { line: 0, character: 2 }],
    ['clamps past the end', 'ab', 99, { line: 0, character: 2 }],
  ])('%s', (_name, text, offset, position) => {
    const index = new LineIndex(text);
    expect(index.positionAt(offset)).toEqual(position);
    if (offset <= text.length) expect(index.offsetAt(position)).toBe(offset);
  });

  it('returns line text without the break', () => {
    const index = new LineIndex('one\r\ntwo\nthree');
    expect([0, 1, 2].map((l) => index.lineText(l))).toEqual(['one', 'two', 'three']);
  });
});

describe('decodeText', () => {
  it('strips and remembers a BOM and detects CRLF', () => {
    const decoded = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a]));
    expect(decoded).toEqual({ text: 'a\r\n', hadBom: true, eol: '\r\n', hadInvalidUtf8: false });
  });

  it('replaces invalid UTF-8 and says so', () => {
    const decoded = decodeText(new Uint8Array([0x61, 0xff, 0x62]));
    expect(decoded.text).toBe('a\ufffdb');
    expect(decoded.hadInvalidUtf8).toBe(true);
  });

  it('treats an editor buffer the same way', () => {
    expect(splitBom('\ufeffx\n')).toEqual({ text: 'x\n', hadBom: true, eol: '\n' });
  });
});
