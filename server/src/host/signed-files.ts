// Signs the CLI cache's files with a per-user secret kept outside every workspace, so that a cache committed to a repository cannot be forged into a hit.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeError, notifyIo, O_NOFOLLOW, readRegularFile, type ConfinedFolder } from './confined-fs.js';

const MAC_PREFIX = 'timeout-lint-hmac-sha256:';

/** A file's text: a first line with the HMAC of its name and payload, then the payload. */
export function signPayload(secret: Uint8Array, name: string, payload: string): string {
  return `${MAC_PREFIX}${mac(secret, name, payload).toString('hex')}\n${payload}`;
}

/** The payload of a signed text when its HMAC is right for this secret and name, else undefined. */
export function verifySigned(secret: Uint8Array, name: string, text: string): string | undefined {
  const newline = text.indexOf('\n');
  if (!text.startsWith(MAC_PREFIX) || newline < 0) return undefined;
  const claimed = Buffer.from(text.slice(MAC_PREFIX.length, newline), 'hex');
  const payload = text.slice(newline + 1);
  const actual = mac(secret, name, payload);
  return claimed.length === actual.length && timingSafeEqual(claimed, actual) ? payload : undefined;
}

/**
 * The payload bytes of a signed file when its HMAC is right for this secret and name, else
 * undefined: the check of verifySigned without decoding the payload (a stored output of several
 * megabytes is written out as it is). The HMAC of the UTF-8 bytes is that of the text.
 */
export function verifySignedBytes(secret: Uint8Array, name: string, bytes: Uint8Array): Uint8Array | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < MAC_PREFIX.length || Buffer.from(bytes.buffer, bytes.byteOffset, MAC_PREFIX.length).toString('latin1') !== MAC_PREFIX) return undefined;
  const claimed = Buffer.from(Buffer.from(bytes.buffer, bytes.byteOffset + MAC_PREFIX.length, newline - MAC_PREFIX.length).toString('latin1'), 'hex');
  const payload = bytes.subarray(newline + 1);
  const actual = createHmac('sha256', secret).update(name).update('\0').update(payload).digest();
  return claimed.length === actual.length && timingSafeEqual(claimed, actual) ? payload : undefined;
}

/** Whether a text has the shape of a signed file (by any secret). */
export function isSigned(text: string): boolean {
  return text.startsWith(MAC_PREFIX);
}

function mac(secret: Uint8Array, name: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(name).update('\0').update(payload).digest();
}

/** Where the per-user cache secret lives: the tool's own state, outside every workspace. */
export function cacheSecretPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'timeout-lint', 'cache-secret');
}

/**
 * Reads (or creates, 0600 with an exclusive create) the secret that signs cache files. Refused
 * when it would live inside the workspace, where a repository could commit it.
 */
export function loadCacheSecret(secretPath: string, workspace: ConfinedFolder): { secret: Uint8Array } | { reason: string } {
  const folder = path.dirname(secretPath);
  let realFolder: string;
  try {
    notifyIo('mkdir', folder);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    realFolder = fs.realpathSync.native(folder);
  } catch (error) {
    return { reason: `cannot create ${folder}: ${describeError(error)}` };
  }
  if (workspace.contains(folder) || workspace.contains(realFolder)) return { reason: `${secretPath} would be inside the workspace` };
  const file = path.join(realFolder, path.basename(secretPath));
  try {
    notifyIo('open-write', file);
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, 0o600);
    try {
      fs.writeSync(fd, randomBytes(32).toString('hex'));
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { reason: `cannot create ${file}: ${describeError(error)}` };
  }
  const read = readRegularFile(file, 1024);
  if (!read.ok) return { reason: `cannot read ${file}: ${read.reason}` };
  const secret = Buffer.from(read.bytes.toString('utf8').trim(), 'hex');
  // A half-written secret (a crash between create and write) is replaced on the next run.
  if (secret.length < 32) {
    try {
      notifyIo('unlink', file);
      fs.unlinkSync(file);
    } catch {
      // Someone else's problem to clean; this run only goes without a cache.
    }
    return { reason: `${file} was incomplete; it will be created again on the next run` };
  }
  return { secret };
}
