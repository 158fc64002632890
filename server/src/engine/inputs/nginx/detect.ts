// Decides which workspace files are nginx configs (by name, folder and content) and which to skip.
import picomatch from 'picomatch';
import type { FileId } from '../../types.js';

export interface DetectOptions {
  /** Extra globs whose matches are always nginx (config `nginx.files`). */
  nginxGlobs: string[];
}

export type FileKind = 'nginx' | 'nginx-template' | 'unknown';

const NGINX_FOLDERS = /(^|\/)(conf\.d|sites-available|sites-enabled|nginx)\//;

/**
 * Names of rendered or generated variants of a config: `mcp.conf.inc.template`, `app.conf.python`,
 * `default.conf.tmpl`, `nginx.conf.j2`, `site.conf.ejs`. Their content decides (nginxVariantVerdict).
 */
const VARIANT = /\.(conf|nginx)(\.[A-Za-z0-9_-]+)*\.(template|tmpl|tpl|j2|jinja2?|python|py|in|erb|ejs|dist|example|sample)$|^nginx[^/]*\.(template|tmpl|tpl|j2|jinja2?|ejs|erb)$/;

/**
 * Kind of a file judged by its path alone; `maybe-nginx` needs a look at the content, and
 * `maybe-nginx-variant` (a template or generated variant of a config) is judged by its content.
 */
export function kindByPath(file: FileId, extraGlobs: picomatch.Matcher | undefined): FileKind | 'maybe-nginx' | 'maybe-nginx-variant' {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (extraGlobs?.(file)) return base.endsWith('.template') ? 'nginx-template' : 'nginx';
  if (base.endsWith('.conf.template') || base.endsWith('.nginx.template')) return 'nginx-template';
  if (base === 'nginx.conf' || base.endsWith('.nginx')) return 'nginx';
  if (base.endsWith('.conf')) return NGINX_FOLDERS.test(file) ? 'nginx' : 'maybe-nginx';
  if (VARIANT.test(base)) return 'maybe-nginx-variant';
  return 'unknown';
}

/**
 * What a config variant's text is: `nginx` (plain nginx or envsubst placeholders: analysed), the
 * reason it is listed as not analysed (an EJS, Jinja or Go template of nginx: its control flow
 * decides what nginx gets), or `other` (not nginx at all).
 */
export function nginxVariantVerdict(text: string): 'nginx' | 'other' | string {
  if (!looksLikeNginx(text)) return 'other';
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  if (/<%[=_-]?/.test(head)) return 'an EJS/ERB template of nginx: rendered before nginx reads it, so it is not analysed';
  // Go templates put their control flow and fields in {{ }} (`{{ if .Values.x }}`, `{{ .Port }}`); Jinja uses {% %} for control flow.
  if (/\{\{-?\s*(\.|\$|(if|range|with|define|template|include|end|else|block)\b)/.test(head) && !/\{%/.test(head)) return 'a Go template of nginx: rendered before nginx reads it, so it is not analysed';
  if (/\{%-?\s*\w|\{\{-?\s*[\w(]/.test(head)) return 'a Jinja template of nginx: rendered before nginx reads it, so it is not analysed';
  return 'nginx';
}

/** Files that say where nginx containers get their configuration: Dockerfiles and shell scripts (which may run envsubst). */
export function isDeploymentFile(file: FileId): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return /^Dockerfile([.-][\w.-]+)?$|\.Dockerfile$|\.dockerfile$/.test(base) || base.endsWith('.sh');
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
