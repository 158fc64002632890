// Parses one TypeScript or JavaScript file with @babel/parser; never throws, syntax errors become problems and parsing carries on.
import { parse, type ParserPlugin } from '@babel/parser';
import type { FileId, Problem } from '../../types.js';
import type { AstNode } from './ast.js';

export type TsLanguage = 'ts' | 'tsx' | 'js' | 'jsx';

export interface TsFile {
  file: FileId;
  text: string;
  language: TsLanguage;
  /** The `Program` node; absent only when no attempt could be parsed at all. */
  program?: AstNode;
  /** Syntax errors, each at the offset where the parser stopped or recovered. */
  problems: Problem[];
}

/** Lines blanked and re-parsed after an unrecoverable error before giving up. */
const MAX_RECOVERY_ATTEMPTS = 4;

/**
 * Parses `text` (BOM already stripped) as the language its extension says. Babel's
 * `errorRecovery` handles many errors; for the ones it cannot recover from, the offending line is
 * blanked with spaces (offsets stay valid) and the file is parsed again, so the rest still yields facts.
 */
export function parseTsText(file: FileId, text: string): TsFile {
  const language = tsLanguageOf(file);
  const flow = (language === 'js' || language === 'jsx') && hasFlowPragma(text);
  const legacy = parseWithRecovery(file, text, language, { flow, decorators: 'legacy' });
  // Legacy decorators (what NestJS and TypeScript's experimentalDecorators use, parameter
  // decorators included) go before `export`; standard decorators may also go after it
  // (`export @dec class`), which the legacy plugin rejects. The legacy plugin also reads
  // `@ApiProperty()` followed by a computed member `[Enum.KEY]: string` as an element access on
  // the decorator's result, where TypeScript ends the decorator at the `[`. Such a file is parsed
  // again with the standard plugin, and the attempt with fewer errors wins.
  if (legacy.problems.length === 0 || !(DECORATOR_AFTER_EXPORT.test(text) || DECORATED_COMPUTED_MEMBER.test(text))) return legacy;
  const standard = parseWithRecovery(file, text, language, { flow, decorators: 'standard' });
  return standard.problems.length < legacy.problems.length ? standard : legacy;
}

const DECORATOR_AFTER_EXPORT = /\bexport\s+(?:default\s+)?@/;
/** A decorator (with or without a call) directly before a computed class member: `@IsString()\n  [Keys.NAME]: string`. */
const DECORATED_COMPUTED_MEMBER = /@[A-Za-z_$][\w$.]*(?:\([^()]*\))?\s*\[/;
/**
 * Parameter decorators are TypeScript's experimentalDecorators, which the standard plugin reports
 * (recoverably, keeping them on the tree). In a file parsed with it only because the legacy plugin
 * failed elsewhere, they are not errors: the TypeScript compiler accepts them.
 */
const ACCEPTED_WITH_STANDARD_DECORATORS = new Set(['UnsupportedParameterDecorator']);

interface ParseVariant {
  flow: boolean;
  decorators: 'legacy' | 'standard';
}

function parseWithRecovery(file: FileId, text: string, language: TsLanguage, variant: ParseVariant): TsFile {
  const result: TsFile = { file, text, language, problems: [] };
  let source = text;
  for (let attempt = 0; attempt <= MAX_RECOVERY_ATTEMPTS; attempt++) {
    try {
      const ast = parse(source, parserOptions(file, language, variant));
      result.program = ast.program as unknown as AstNode;
      for (const error of (ast.errors ?? []) as unknown as ParseErrorLike[]) {
        if (variant.decorators === 'standard' && error.reasonCode !== undefined && ACCEPTED_WITH_STANDARD_DECORATORS.has(error.reasonCode)) continue;
        result.problems.push(problemOf(file, text, error));
      }
      return result;
    } catch (error) {
      if (error instanceof RangeError) {
        // Babel parses nested expressions recursively; thousands of `((((` overflow the stack. Valid code, not read.
        const message = /call stack/i.test(error.message) ? 'the code is nested too deeply to be parsed' : `the parser ran out of room (${error.message})`;
        result.problems.push({ kind: 'not-analysed', message, span: { file, start: 0, end: 0 } });
        break;
      }
      const parseError = error as ParseErrorLike;
      result.problems.push(problemOf(file, text, parseError));
      const blanked = blankLineAt(source, typeof parseError.pos === 'number' ? parseError.pos : source.length);
      if (blanked === source) break;
      source = blanked;
    }
  }
  return result;
}

/** The language a path is parsed as: `.ts .mts .cts` → ts, `.tsx` → tsx, `.jsx` → jsx, other JS → js (with JSX allowed). */
export function tsLanguageOf(file: FileId): TsLanguage {
  if (/\.tsx$/i.test(file)) return 'tsx';
  if (/\.[cm]?ts$/i.test(file)) return 'ts';
  if (/\.jsx$/i.test(file)) return 'jsx';
  return 'js';
}

interface ParseErrorLike {
  message?: string;
  pos?: number;
  reasonCode?: string;
}

/**
 * True when the file opens with a Flow pragma (`// @flow` or `/* @flow *\/`, possibly after a
 * shebang and other comments), which is how Flow itself decides to check a file. Only the leading
 * comments are looked at, so `@flow` in a string or later comment changes nothing.
 */
export function hasFlowPragma(text: string): boolean {
  const leading = /^(?:#![^\r\n]*)?(?:\s+|\/\/[^\r\n]*|\/\*[\s\S]*?\*\/)*/.exec(text.slice(0, 4096))?.[0] ?? '';
  return /@flow\b/.test(leading);
}

function parserOptions(file: FileId, language: TsLanguage, { flow, decorators }: ParseVariant) {
  // `.ts` must not enable JSX: `<T>value` casts would be read as elements. Plain `.js` gets JSX
  // because React projects commonly write it there. Decorators use the TypeScript (legacy) form
  // that NestJS needs, including parameter decorators; `accessor` fields (TS 4.9, the decorators
  // proposal) need their own plugin. `import … with {…}` is on by default in this Babel; the older
  // `assert {…}` form is still valid TypeScript and Node 18 syntax, so it is accepted too.
  // A `.js`/`.jsx` file with a Flow pragma is Flow, whose annotations the TypeScript plugin cannot
  // read (and Babel refuses both plugins at once).
  const plugins: ParserPlugin[] = [decorators === 'legacy' ? 'decorators-legacy' : 'decorators', 'decoratorAutoAccessors', 'deprecatedImportAssert'];
  if (language === 'ts' || language === 'tsx') plugins.push('typescript');
  else if (flow) plugins.push(['flow', { all: false }]);
  if (language !== 'ts') plugins.push('jsx');
  return {
    sourceType: /\.cjs$/i.test(file) ? ('script' as const) : ('module' as const),
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    attachComment: false,
    plugins,
  };
}

function problemOf(file: FileId, text: string, error: ParseErrorLike): Problem {
  const pos = Math.max(0, Math.min(typeof error.pos === 'number' ? error.pos : 0, text.length));
  // Babel appends "(line:column)" to its messages; the span carries the position instead.
  const message = (error.message ?? 'Syntax error').replace(/\s*\(\d+:\d+\)$/, '');
  return { kind: 'syntax', message, span: { file, start: pos, end: Math.min(text.length, pos + 1) } };
}

/** Replaces the characters of the line holding `pos` with spaces (line breaks kept). */
function blankLineAt(source: string, pos: number): string {
  const at = Math.max(0, Math.min(pos, source.length));
  let start = at;
  while (start > 0 && source[start - 1] !== '\n' && source[start - 1] !== '\r') start--;
  let end = at;
  while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
  if (end === start || /^\s*$/.test(source.slice(start, end))) {
    // The error sits on an empty line (often the end of the file): blank the previous non-empty line.
    let previousEnd = start;
    while (previousEnd > 0 && /\s/.test(source[previousEnd - 1]!)) previousEnd--;
    if (previousEnd === 0) return source;
    return blankLineAt(source, previousEnd - 1);
  }
  return source.slice(0, start) + ' '.repeat(end - start) + source.slice(end);
}
