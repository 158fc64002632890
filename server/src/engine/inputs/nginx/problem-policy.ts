// How severe an nginx parse or include problem is: a template or a container path the workspace does not hold is not the project's error.
import type { Problem, Severity } from '../../types.js';
import { isStockInclude, MAPPED_MARK } from './includes.js';

export interface ProblemPolicy {
  id: 'parse-error' | 'include-error' | 'not-analysed';
  message: string;
  /** Lower than the diagnostic's default: applies while the configuration keeps the default. */
  severity?: Severity;
}

/** Suffixes of files that are rendered before nginx reads them (envsubst, Jinja, Go and similar templates). */
const TEMPLATE_SUFFIX = /\.(template|tmpl|tpl|j2|jinja2?|python|in|erb|ejs)$/i;

export function isTemplateFile(file: string): boolean {
  return TEMPLATE_SUFFIX.test(file);
}

/**
 * Files that nginx's own install, the Debian/Ubuntu and nginx.org packages and the official image all
 * put in the configuration folder, named with no folder (`include mime.types;`). Not `proxy_params`
 * (Debian and Ubuntu only), nor `fastcgi.conf`, `koi-*` and `win-utf`, which not every package keeps.
 */
const SHIPPED_BESIDE_NGINX_CONF = new Set(['mime.types', 'fastcgi_params', 'scgi_params', 'uwsgi_params']);

export const UNMAPPED_HINT =
  'nothing in the workspace maps this container path (no compose volume, Dockerfile COPY/ADD or ConfigMap mount covers it), so what it holds is unknown and the settings of the block that includes it are not taken as defaults; map it with the `nginx.includePrefix` setting, e.g. {"/etc/nginx": "deploy/nginx"}';

/**
 * The policy of rules/include-error.md and rules/parse-error.md: a genuine syntax error or a
 * missing relative include of a plain nginx file stays an error; the same in a template is a
 * warning (its renderer may fill the gap); an absolute include that no evidence maps, and a relative
 * one that names a stock file nginx installs beside its nginx.conf (`include mime.types;`), is an info
 * `not-analysed` finding.
 */
export function problemPolicy(problem: Problem, lineText: string): ProblemPolicy {
  const template = isTemplateFile(problem.span.file) || /\$\{|\{\{|\{%/.test(lineText);
  if (problem.kind === 'syntax') {
    return template ? { id: 'parse-error', message: `${problem.message} (in a template: the rendered file may differ)`, severity: 'warning' } : { id: 'parse-error', message: problem.message };
  }
  if (problem.kind !== 'include') return { id: 'not-analysed', message: problem.message };
  const included = /^\s*include\s+["']?([^\s;"']+)/.exec(lineText)?.[1];
  const absolute = included?.startsWith('/') ? included : undefined;
  // Mapped, but the folder lacks the file: it may be generated at deploy time, so a warning, never an error of the workspace.
  if (problem.message.includes(MAPPED_MARK)) return { id: 'include-error', message: problem.message, severity: 'warning' };
  if (absolute) {
    if (isStockInclude(absolute)) return { id: 'not-analysed', message: `${problem.message} (a file every nginx image ships, with no timeouts in it; map it with the \`nginx.includePrefix\` setting to read it)` };
    return { id: 'not-analysed', message: `${problem.message}: ${UNMAPPED_HINT}` };
  }
  // `include mime.types;` beside an nginx.conf relies on the file nginx installs in its configuration
  // folder (/etc/nginx in every package and the official image), where a relative include is looked up.
  if (included !== undefined && SHIPPED_BESIDE_NGINX_CONF.has(included)) {
    return { id: 'not-analysed', message: `${problem.message} (a file nginx ships in its configuration folder, where a relative include is looked up, with no timeouts in it; keep a copy beside the entry to read it)` };
  }
  return template ? { id: 'include-error', message: `${problem.message} (in a template: the file may be rendered when the container starts)`, severity: 'warning' } : { id: 'include-error', message: problem.message };
}
