// Reads the configuration file's bytes for the CLI and the language server alike: confined, bounded, regular files only, and never echoing content in errors.
import * as fs from 'node:fs';
import type { FileId } from '../engine/types.js';
import { readFileBounded, type WorkspaceFs } from '../engine/workspace-fs.js';
import { readRegularFile } from './confined-fs.js';

/** A configuration is a few kilobytes; anything above this is refused rather than read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type ConfigFileRead =
  | { status: 'absent' }
  | { status: 'read'; bytes: Uint8Array }
  /** Exists but was not read: `reason` names why (never the file's content). */
  | { status: 'refused'; reason: string };

/**
 * The configuration's bytes. Inside the workspace it is read through the workspace's confined file
 * system (a symlink that leaves the root is refused, as for every workspace file); a path outside
 * the root is read only because the user named it (`--config`), and must still be a regular file
 * of bounded size (a FIFO or /dev/zero would otherwise hang the run or fill memory).
 */
export function readConfigFile(source: { fs: WorkspaceFs; file: FileId } | { outsidePath: string }): ConfigFileRead {
  if ('outsidePath' in source) {
    let real: string;
    try {
      real = fs.realpathSync.native(source.outsidePath);
    } catch {
      return { status: 'absent' };
    }
    const read = readRegularFile(real, MAX_CONFIG_BYTES);
    if (read.ok) return { status: 'read', bytes: read.bytes };
    return read.missing ? { status: 'absent' } : { status: 'refused', reason: read.reason };
  }
  const read = readFileBounded(source.fs, source.file, MAX_CONFIG_BYTES);
  if (!read) {
    // Missing, or a name the confined file system will not serve: tell the two apart for the message.
    const why = source.fs.whyUnavailable?.(source.file);
    return why ? { status: 'refused', reason: why } : { status: 'absent' };
  }
  if (read.bytes) return { status: 'read', bytes: read.bytes };
  if (!read.stat.isFile) return { status: 'refused', reason: 'is not a regular file' };
  if (read.stat.size > MAX_CONFIG_BYTES) return { status: 'refused', reason: `is larger than ${MAX_CONFIG_BYTES} bytes` };
  return { status: 'refused', reason: 'cannot be read' };
}
