// Decides which workspace files are nginx configs (by name, folder and content) and which to skip.
import picomatch from 'picomatch';
import type { FileId } from '../../types.js';

export interface DetectOptions {
  /** Extra globs whose matches are always nginx (config `nginx.files`). */
  nginxGlobs: string[];
}

export type FileKind = 'nginx' | 'nginx-template' | 'unknown';

const NGINX_FOLDERS = /(^|\/)(conf\.d|sites-available|sites-enabled|nginx)\//;

/** Kind of a file judged by its path alone; `maybe-nginx` needs a look at the content. */
export function kindByPath(file: FileId, extraGlobs: picomatch.Matcher | undefined): FileKind | 'maybe-nginx' {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (extraGlobs?.(file)) return base.endsWith('.template') ? 'nginx-template' : 'nginx';
  if (base.endsWith('.conf.template') || base.endsWith('.nginx.template')) return 'nginx-template';
  if (base === 'nginx.conf' || base.endsWith('.nginx')) return 'nginx';
  if (base.endsWith('.conf')) return NGINX_FOLDERS.test(file) ? 'nginx' : 'maybe-nginx';
  return 'unknown';
}

export function compileGlobs(globs: string[]): picomatch.Matcher | undefined {
  return globs.length > 0 ? picomatch(globs, { dot: true }) : undefined;
}

// Statements that only nginx configs have; an INI or systemd `.conf` has none of them.
const NGINX_SIGNATURE = /(^|[\s;{}])(server|location|upstream|http|events|stream)\s*[^\n;{}]*\{|(^|[\s;{}])(proxy_pass|listen|server_name|root|include|worker_processes|proxy_read_timeout)\s+[^\n;]*;/m;

/** True when a `.conf` file's text looks like nginx. */
export function looksLikeNginx(text: string): boolean {
  // Only the head is looked at: the verdict must stay cheap for huge unrelated files.
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  if (/^\s*\[[^\]\n]+\]\s*$/m.test(head) && !/\{/.test(head)) return false;
  return NGINX_SIGNATURE.test(head);
}
