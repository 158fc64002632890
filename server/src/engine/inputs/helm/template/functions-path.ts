// Sprig's path functions (Go's path package, slash-separated): base, dir, ext, clean, isAbs.
import type { FunctionDef } from './render-types.js';

/** Go's path.Clean: the shortest equivalent path (no "." or "..", no doubled or trailing slashes). */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

function base(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dir(path: string): string {
  const slash = path.lastIndexOf('/');
  return cleanPath(path.slice(0, slash + 1));
}

function ext(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) if (path[i] === '.') return path.slice(i);
  return '';
}

const str = (params: FunctionDef['params'], call: (s: string) => string | boolean): FunctionDef => ({ params, call: ([s]) => call(s!.v as string), pathFrom: 'last' });

export const pathFunctions: [string, FunctionDef][] = [
  ['base', str(['string'], base)],
  ['dir', str(['string'], dir)],
  ['ext', str(['string'], ext)],
  ['clean', str(['string'], cleanPath)],
  ['isAbs', str(['string'], (s) => s.startsWith('/'))],
];
