// Reads a `vercel.json`: its `functions` entries (a glob of function source files, relative to the
// file's folder, with `maxDuration` and other settings), each key and value with its place.
import { parseJsonWithPositions, pointerSegment } from '../../json-positions.js';
import type { FileId, Problem, Span } from '../../types.js';

export interface VercelFunctionEntry {
  /** The glob as written (`app/api/**\/*`, `api/*.js`). */
  pattern: string;
  /** The key in the file. */
  span: Span;
  /** `maxDuration` in seconds, when a number. */
  maxDuration?: { seconds: number; span: Span };
}

export interface VercelConfig {
  file: FileId;
  /** The folder the patterns are relative to (`''` for the workspace root). */
  dir: FileId;
  functions: VercelFunctionEntry[];
}

/** The config, or the problem that kept it from being read (invalid JSON: Vercel refuses the file too). */
export function readVercelConfig(file: FileId, text: string): { config?: VercelConfig; problems: Problem[] } {
  const parsed = parseJsonWithPositions(text);
  if (parsed.error) {
    const at = Math.min(parsed.error.offset, text.length);
    return { problems: [{ kind: 'syntax', message: `${file} is not valid JSON: ${parsed.error.message}`, span: { file, start: at, end: Math.min(at + 1, text.length) } }] };
  }
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const config: VercelConfig = { file, dir, functions: [] };
  const root = parsed.value;
  const functions = isObject(root) ? root.functions : undefined;
  if (!isObject(functions)) return { config, problems: [] };
  for (const [pattern, settings] of Object.entries(functions)) {
    const pointer = `/functions/${pointerSegment(pattern)}`;
    const keySpan = parsed.keySpans.get(pointer);
    if (!keySpan) continue;
    const entry: VercelFunctionEntry = { pattern, span: { file, ...keySpan } };
    const maxDuration = isObject(settings) ? settings.maxDuration : undefined;
    const valueSpan = parsed.valueSpans.get(`${pointer}/maxDuration`);
    if (typeof maxDuration === 'number' && valueSpan) entry.maxDuration = { seconds: maxDuration, span: { file, ...valueSpan } };
    config.functions.push(entry);
  }
  return { config, problems: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
