// Starting the CLI bundle from V8's code cache, so that a run does not compile the 3 MB bundle again.
//
// dist/cli.js is a small launcher (launcher.ts); the CLI itself is dist/cli-main.js. The build runs
// the CLI once on the example workspace and stores V8's cached data for every function that ran
// (dist/cli-main.js.v8cache, server/src/build/code-cache-build.ts). V8 checks only the source's length, its own
// version and its flags before it uses cached data, so the file also names the sha256 of the
// bundle it was made from: a cache made for any other bundle is not handed to V8, and one V8
// rejects (another Node.js, other V8 flags) is ignored. Either way the bundle is compiled as usual.
// The cache holds compiled code of this bundle only; nothing read from a workspace goes into it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const MAGIC = 'timeout-lint code cache 1\n';
const HASH_LENGTH = 64;
const HEADER_LENGTH = MAGIC.length + HASH_LENGTH + 1;

/** What became of the cache: none beside the bundle, made for another bundle, refused by V8, or used. */
export type CodeCacheStatus = 'absent' | 'stale' | 'rejected' | 'accepted' | 'not-used';

export interface CompiledBundle {
  script: vm.Script;
  /** sha256 (hex) of the bundle's text as read. */
  hash: string;
  status: CodeCacheStatus;
}

export function codeCachePath(bundlePath: string): string {
  return `${bundlePath}.v8cache`;
}

/** Compiles the bundle as CommonJS does (the same wrapper), with its code cache when `useCache` and one made for exactly this text exists. */
export function compileBundle(bundlePath: string, useCache: boolean): CompiledBundle {
  const text = fs.readFileSync(bundlePath, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex');
  let status: CodeCacheStatus = 'not-used';
  let cachedData: Buffer | undefined;
  if (useCache) {
    const stored = readCache(codeCachePath(bundlePath));
    if (!stored) status = 'absent';
    else if (stored.hash !== hash) status = 'stale';
    else cachedData = stored.data;
  }
  // A `#!` line is valid only at the very start of a script; inside the wrapper it becomes a comment (same length, same positions).
  const body = text.startsWith('#!') ? `//${text.slice(2)}` : text;
  const script = new vm.Script(wrap(body), { filename: bundlePath, cachedData });
  if (cachedData) status = script.cachedDataRejected ? 'rejected' : 'accepted';
  return { script, hash, status };
}

/** Runs a compiled bundle as the main module would run: its own `require`, `module`, `__filename` and `__dirname`. */
export function runBundle(script: vm.Script, bundlePath: string): void {
  const moduleObject = { exports: {} as unknown, filename: bundlePath, id: '.', loaded: false };
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  run.call(moduleObject.exports, moduleObject.exports, createRequire(bundlePath), moduleObject, bundlePath, path.dirname(bundlePath));
  moduleObject.loaded = true;
}

/** Writes the cache for a bundle (its hash, then V8's data), replacing any earlier one in one step. */
export function writeCodeCache(bundlePath: string, hash: string, data: Buffer): void {
  const target = codeCachePath(bundlePath);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${MAGIC}${hash}\n`, 'latin1'), data]));
  fs.renameSync(temporary, target);
}

function readCache(file: string): { hash: string; data: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_LENGTH || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC || bytes[HEADER_LENGTH - 1] !== 0x0a) return { hash: '', data: bytes };
  return { hash: bytes.toString('latin1', MAGIC.length, MAGIC.length + HASH_LENGTH), data: bytes.subarray(HEADER_LENGTH) };
}

function wrap(body: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${body}\n});`;
}
