// envsubst as nginx containers run it: which template renders to which file, and the static values of its variables.
import type { EnvsubstValue, NginxArg, NginxNode } from './ast.js';
import { normalise, type RenderedFile } from './container-paths.js';

/**
 * The official image's defaults (docker-entrypoint.d/20-envsubst-on-templates.sh): every
 * `*.template` under /etc/nginx/templates renders, at the same relative path minus the suffix,
 * under /etc/nginx/conf.d. Each can be changed by an environment variable of the container.
 */
export const OFFICIAL_TEMPLATE_DIR = '/etc/nginx/templates';
export const OFFICIAL_TEMPLATE_SUFFIX = '.template';
export const OFFICIAL_OUTPUT_DIR = '/etc/nginx/conf.d';

export interface TemplateSettings {
  templateDir: string;
  suffix: string;
  outputDir: string;
}

/** The official image's template settings, as the container's environment (where static) sets them. */
export function templateSettingsOf(env: ReadonlyMap<string, string>): TemplateSettings {
  return {
    templateDir: normalise(env.get('NGINX_ENVSUBST_TEMPLATE_DIR') ?? OFFICIAL_TEMPLATE_DIR),
    suffix: env.get('NGINX_ENVSUBST_TEMPLATE_SUFFIX') ?? OFFICIAL_TEMPLATE_SUFFIX,
    outputDir: normalise(env.get('NGINX_ENVSUBST_OUTPUT_DIR') ?? OFFICIAL_OUTPUT_DIR),
  };
}

/** Where the official image renders the template at container path `template`, if it renders it. */
export function officialRenderOf(template: string, settings: TemplateSettings): string | undefined {
  const path = normalise(template);
  if (!path.startsWith(`${settings.templateDir}/`) || !path.endsWith(settings.suffix) || settings.suffix === '') return undefined;
  const relative = path.slice(settings.templateDir.length + 1, path.length - settings.suffix.length);
  return relative === '' ? undefined : normalise(`${settings.outputDir}/${relative}`);
}

/**
 * The `envsubst … < in > out` commands of an entrypoint script, read, never run: each pair of
 * container paths becomes a rendered file. Paths with shell expansions (`"$1"`, `$(…)`) other than
 * variables whose value the script itself does not change are skipped: their value is not static.
 */
export function scriptRenders(script: string, scriptName: string): RenderedFile[] {
  const renders: RenderedFile[] = [];
  // Backslash-newline joins lines, as the shell does.
  const text = script.replace(/\\\r?\n/g, ' ');
  for (const line of text.split(/\r?\n/)) {
    const code = line.replace(/(^|\s)#.*$/, '');
    if (!/\benvsubst\b/.test(code)) continue;
    for (const command of code.split(/&&|\|\||;/)) {
      const input = /(?:^|\s)<\s*("[^"]*"|'[^']*'|[^\s<>|;&]+)/.exec(command.slice(command.indexOf('envsubst')));
      const output = /(?:^|[^<>0-9])>\s*("[^"]*"|'[^']*'|[^\s<>|;&]+)/.exec(command.slice(command.indexOf('envsubst')));
      if (!/\benvsubst\b/.test(command) || !input || !output) continue;
      const from = unquote(input[1]!);
      const to = unquote(output[1]!);
      if (!from.startsWith('/') || !to.startsWith('/') || /[$`*?]/.test(from + to)) continue;
      renders.push({ rendered: normalise(to), template: normalise(from), evidence: `envsubst < ${from} > ${to} in ${scriptName}` });
    }
  }
  return renders;
}

/**
 * Values a script gives variables before it renders (`export NAME="${NAME:-300}"`, `export NAME=x`),
 * read only from top-level lines (not inside `if`/`case`/functions, whose branches we cannot know).
 * A default applies where the container's environment does not set the variable.
 */
export function scriptDefaults(script: string): Map<string, string> {
  const defaults = new Map<string, string>();
  let depth = 0;
  for (const raw of script.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (/^(if|case|for|while|until)\b|\(\)\s*\{?$|^\{$/.test(line)) depth++;
    if (/^(fi|esac|done|\})\b/.test(line)) depth = Math.max(0, depth - 1);
    if (depth > 0) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("([^"$`]*|\$\{\1:?-[^}"$`]*\})"|'[^']*'|[^\s;&|$`'"]*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (value.startsWith("'")) value = value.slice(1, -1);
    else if (value.startsWith('"')) value = value.slice(1, -1);
    const fallback = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$/.exec(value);
    defaults.set(match[1]!, fallback ? fallback[1]! : value);
  }
  return defaults;
}

function unquote(word: string): string {
  return (word.startsWith('"') && word.endsWith('"')) || (word.startsWith("'") && word.endsWith("'")) ? word.slice(1, -1) : word;
}

/**
 * Replaces envsubst placeholders in argument values by the variables' static values (envsubst
 * replaces `${NAME}` and `$NAME` of variables that are set). `$name` in lower case is an nginx
 * variable, never an environment variable in practice, so only names written in upper case are
 * replaced in the `$NAME` form. The argument keeps what was written in `written`.
 */
export function substituteVariables(nodes: NginxNode[], variables: ReadonlyMap<string, EnvsubstValue>): void {
  const stack: NginxNode[][] = [nodes];
  while (stack.length > 0) {
    for (const node of stack.pop()!) {
      if (node.type !== 'directive' || node.placeholder) continue;
      for (const arg of node.args) substituteArg(arg, variables);
      if (node.block) stack.push(node.block);
    }
  }
}

function substituteArg(arg: NginxArg, variables: ReadonlyMap<string, EnvsubstValue>): void {
  if (!arg.value.includes('$')) return;
  const substituted: NonNullable<NginxArg['substituted']> = [];
  const value = arg.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const known = variables.get(name);
    if (!known) return whole;
    substituted.push({ name, ...known });
    return known.value;
  });
  if (substituted.length === 0) return;
  arg.written = arg.value;
  arg.value = value;
  arg.substituted = substituted;
}

/**
 * A compose value with its interpolation resolved: `${NAME:-default}` and `${NAME-default}` from
 * `.env` values, else the default; `${NAME}` from `.env` only. Undefined when some part is not
 * static (a shell variable nobody sets here, `${NAME:?error}`).
 */
export function interpolateCompose(value: string, dotEnv: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name?: string, op?: string, operand?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const key = (name ?? bare)!;
    const set = dotEnv.get(key);
    if (op === undefined) {
      if (set === undefined) unknown = true;
      return set ?? '';
    }
    if (op.endsWith('?')) {
      if (set === undefined || (op === ':?' && set === '')) unknown = true;
      return set ?? '';
    }
    if (op.endsWith('+')) return set !== undefined && (op === '+' || set !== '') ? operand ?? '' : '';
    return set !== undefined && (op === '-' || set !== '') ? set : operand ?? '';
  });
  return unknown ? undefined : out;
}

/** `NAME=value` lines of a `.env` file (comments, `export` and surrounding quotes handled the way compose does). */
export function parseDotEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if ((value.startsWith('"') && value.endsWith('"') && value.length >= 2) || (value.startsWith("'") && value.endsWith("'") && value.length >= 2)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    values.set(match[1]!, value);
  }
  return values;
}
