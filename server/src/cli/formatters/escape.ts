// Makes workspace-controlled text (file names, quoted values, source lines) safe to print in a terminal or a CI log.

/**
 * C0 controls except tab, DEL, C1 controls, the bidirectional controls that reorder what a reader
 * sees (the "Trojan Source" set: U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069) and the Unicode
 * line and paragraph separators, which some log viewers break lines at.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same set without CR and LF, for callers that escape line breaks their own way. */
const UNSAFE_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print on one line: a file name or a message cannot start a new line (and so cannot
 * forge a `::error` workflow command or a fake finding in a CI log), move the cursor, recolour the
 * screen or reorder the characters around it. C0 controls and DEL become their Unicode "control
 * pictures" (ESC shows as ␛, LF as ␊); C1, bidi and separator characters become `<U+202E>`.
 * Tabs are kept: they are harmless and code frames expand them themselves.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, picture);
}

/**
 * Like {@link printable} but leaves CR and LF alone, for output that escapes line breaks itself
 * (GitHub workflow commands turn them into `%0D`/`%0A`).
 */
export function printableKeepingLineBreaks(text: string): string {
  return text.replace(UNSAFE_EXCEPT_LINE_BREAKS, picture);
}

function picture(character: string): string {
  const code = character.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}
