// The configuration file (timeout-lint.config.json): its schema, defaults and validation.
import Ajv from 'ajv';
import type { Rule } from './rule.js';
import type { FrontedBySetting, SharedSettings } from './workspace-model.js';
import type { FileId, Severity, SeverityOrOff } from './types.js';
import { resolveFileId } from './workspace-fs.js';
import { ENGINE_DIAGNOSTIC_IDS, ENGINE_DIAGNOSTICS } from './engine-diagnostics.js';
import type { ErrorObject } from 'ajv';
import { DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES, DEFAULT_INGRESS_NGINX_PREFIX } from './inputs/k8s/model.js';
import { parseJsonWithPositions, pointerSegment, type JsonSpan } from './json-positions.js';
import { LineIndex } from './text.js';
import { compileJsPattern } from './safe-regex.js';
import { parseGoDuration } from './units.js';

export const CONFIG_FILE_NAME = 'timeout-lint.config.json';

/**
 * Load balancers `chains.frontedBy` may name. Their default values (where reference/timeout-facts.md
 * has them) live with the input that reads the setting (inputs/fronted-by/platforms.ts).
 */
export const FRONTED_BY_KINDS = ['aws-alb', 'aws-elb', 'gcp-https-lb', 'cloudflare', 'heroku-router', 'fly-proxy', 'render'] as const;

export type RuleSetting = SeverityOrOff | [SeverityOrOff] | [SeverityOrOff, Record<string, unknown>];

export interface ConfigFile {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  nginx?: { files?: string[]; includePrefix?: string | Record<string, string>; version?: string };
  kubernetes?: { ingressNginxAnnotationPrefix?: string; ingressNginxConfigMapNames?: string[] };
  helm?: { valuesFiles?: Record<string, string[]> };
  llm?: Partial<SharedSettings['llm']>;
  chains?: { services?: Record<string, string>; frontedBy?: Record<string, string | { kind: string; idleTimeout?: string | number; timeout?: string | number }> };
}

export interface ResolvedRuleSetting {
  severity: SeverityOrOff;
  options: Record<string, unknown>;
}

export interface ResolvedConfig {
  rules: Map<string, ResolvedRuleSetting>;
  ignore: string[];
  nginx: {
    files: string[];
    includePrefix: FileId | undefined;
    /** `nginx.includePrefix` as a map: container path (`/etc/nginx`) → workspace folder. */
    includeMounts?: Record<string, FileId>;
    version?: string;
  };
  kubernetes: { ingressNginxAnnotationPrefix: string; ingressNginxConfigMapNames: string[] };
  /** Extra values files per chart folder (workspace path), each rendered as its own variant over the chart's values.yaml. */
  helm: { valuesFiles: ReadonlyMap<FileId, readonly FileId[]> };
  llm: SharedSettings['llm'];
  chains: SharedSettings['chains'];
}

/** Route and upstream patterns that mark LLM and streaming traffic (issue text; configurable). */
export const DEFAULT_LLM_SETTINGS: SharedSettings['llm'] = {
  pathPatterns: ['/v1/chat/completions', '/v1/completions', '/v1/messages', '/chat', '/completions', '/generate', '/stream', '/sse', '/llm', '/ai/', '/inference'],
  upstreamPatterns: ['openai', 'anthropic', 'azure', 'gemini', 'generativelanguage\\.googleapis', 'bedrock', 'ollama', 'vllm', 'tgi', 'text-generation-inference', 'llm', 'mistral', 'groq'],
  streamingPathPatterns: ['/stream', '/sse', '/events', '/chat', '/completions', '/v1/messages'],
};

const SEVERITY_VALUES = ['error', 'warning', 'info', 'off'];

/** The JSON schema of the configuration file, with every rule's options (shipped for editor completion). */
export function buildConfigSchema(rules: readonly Rule[]): Record<string, unknown> {
  const severity = { enum: SEVERITY_VALUES, description: 'Severity of the rule, or "off" to disable it.' };
  const ruleProperties: Record<string, unknown> = {};
  for (const diagnostic of ENGINE_DIAGNOSTICS) ruleProperties[diagnostic.id] = { ...severity, description: diagnostic.description };
  for (const rule of rules) {
    ruleProperties[rule.id] = {
      description: rule.description,
      oneOf: [
        severity,
        { type: 'array', items: [severity, rule.options.schema], minItems: 1, maxItems: 2, additionalItems: false },
      ],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'timeout-lint configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: { type: 'object', description: 'Severity and options per rule id.', properties: ruleProperties, additionalProperties: false },
      ignore: { type: 'array', items: { type: 'string' }, description: 'Glob patterns (gitignore style) of files never linted.' },
      nginx: {
        type: 'object',
        additionalProperties: false,
        properties: {
          files: { type: 'array', items: { type: 'string' }, description: 'Extra globs of files that are nginx configs.' },
          includePrefix: {
            oneOf: [
              { type: 'string', description: 'Workspace folder that absolute include paths resolve against (include /etc/nginx/x.conf reads <includePrefix>/etc/nginx/x.conf). Nothing outside the workspace is read.' },
              {
                type: 'object',
                additionalProperties: { type: 'string' },
                description: 'Container path → workspace folder (e.g. {"/etc/nginx": "deploy/nginx"}): include /etc/nginx/conf.d/x.conf reads deploy/nginx/conf.d/x.conf. Added to what compose volumes, Dockerfile COPY/ADD and ConfigMap mounts already map.',
              },
            ],
            description: 'Where absolute include paths are read in the workspace: a folder standing in for /, or a map of container paths to workspace folders. Nothing outside the workspace is read.',
          },
          version: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$', description: 'The nginx version the configuration targets (e.g. 1.24.0); directives newer than it are reported. Default: the current stable.' },
        },
      },
      kubernetes: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ingressNginxAnnotationPrefix: { type: 'string', description: 'The ingress-nginx controller\'s --annotations-prefix (default nginx.ingress.kubernetes.io); annotations under another prefix are ignored by the controller.' },
          ingressNginxConfigMapNames: { type: 'array', items: { type: 'string' }, description: 'Names of the ingress-nginx controller ConfigMap (default ingress-nginx-controller, nginx-configuration).' },
        },
      },
      helm: {
        type: 'object',
        additionalProperties: false,
        properties: {
          valuesFiles: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'string' } },
            description: 'Extra values files per Helm chart folder, relative to the chart (e.g. {"charts/api": ["values-prod.yaml", "env/staging.yaml"]}); each is rendered as its own variant over the chart\'s values.yaml, as `helm template -f` would.',
          },
        },
      },
      llm: {
        type: 'object',
        additionalProperties: false,
        properties: {
          pathPatterns: { type: 'array', items: { type: 'string' }, description: 'Regular expressions matched against route paths that serve LLM traffic.' },
          upstreamPatterns: { type: 'array', items: { type: 'string' }, description: 'Regular expressions matched against upstream hosts that are LLM providers or model servers.' },
          streamingPathPatterns: { type: 'array', items: { type: 'string' }, description: 'Regular expressions matched against route paths that stream responses (SSE, token streams).' },
        },
      },
      chains: {
        type: 'object',
        additionalProperties: false,
        properties: {
          services: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'Which code folder a Deployment, container, Knative or compose service runs, by its name (e.g. {"chat-api": "services/chat-api"}); without an entry the name is matched against package.json names and folder names.',
          },
          frontedBy: {
            type: 'object',
            additionalProperties: {
              oneOf: [
                { enum: [...FRONTED_BY_KINDS], description: 'A platform, with its documented defaults.' },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['kind'],
                  properties: {
                    kind: { enum: [...FRONTED_BY_KINDS], description: 'The platform.' },
                    idleTimeout: { type: ['string', 'number'], description: 'Its idle timeout (and the keep-alive it holds to the code): a duration ("60s", "2m") or seconds.' },
                    timeout: { type: ['string', 'number'], description: 'Its request (response) timeout: a duration ("30s") or seconds.' },
                  },
                },
              ],
            },
            description: 'A load balancer the workspace does not declare, in front of a code folder, package, compose service or workload (e.g. {"services/api": {"kind": "aws-alb", "idleTimeout": "60s"}} or {"api": "gcp-https-lb"}); its defaults come from the platform\'s documentation.',
          },
        },
      },
    },
  };
}

export interface ConfigResult {
  config: ResolvedConfig;
  /** Human-readable errors: unknown keys, bad severities, invalid rule options, bad regexes. */
  errors: string[];
  /** The same errors with the JSON pointer of the value (or key) each is about, for positions. */
  issues: ConfigIssue[];
}

/** One configuration error and what it is about. */
export interface ConfigIssue {
  message: string;
  /** JSON pointer of the offending value ('' for the whole file). */
  pointer: string;
  /** True when the error is about the property name at `pointer` (an unknown setting), not its value. */
  onKey?: boolean;
}

/**
 * Validates a parsed config file and merges it over the defaults. Never throws, whatever the
 * types in `raw`: every value of the wrong type is an error, and the default is used instead, so
 * a front end that carries on after errors (the language server) never hands a rule a value of
 * the wrong type.
 */
export function resolveConfig(raw: unknown, rules: readonly Rule[]): ConfigResult {
  const issues: ConfigIssue[] = [];
  const problem = (pointer: string, message: string, onKey = false) => issues.push({ pointer, message, ...(onKey ? { onKey } : {}) });
  const ajv = new Ajv({ allErrors: true, strict: false });
  if (raw !== undefined && !isObject(raw)) problem('', 'the configuration must be a JSON object');
  const file: Record<string, unknown> = isObject(raw) ? raw : {};
  // The rules section is checked by hand so that messages name the rule ("unknown rule x"), not a schema path.
  const { rules: _rules, ...rest } = file;
  // Compiling the schema costs tens of milliseconds: an empty file (or none) has nothing to validate.
  if (Object.keys(rest).length > 0) {
    const schema = buildConfigSchema(rules);
    const validateRest = ajv.compile({ ...schema, properties: { ...(schema.properties as object), rules: { type: 'object' } } });
    if (!validateRest(rest)) for (const error of validateRest.errors ?? []) issues.push(ajvIssue(error, ''));
  }
  if (file.rules !== undefined && !isObject(file.rules)) problem('/rules', '/rules must be an object of rule id → severity or [severity, options]');
  const configured = isObject(file.rules) ? file.rules : {};
  const known = new Map(rules.map((r) => [r.id, r]));
  for (const id of Object.keys(configured)) {
    if (!known.has(id) && !ENGINE_DIAGNOSTIC_IDS.has(id)) problem(`/rules/${pointerSegment(id)}`, `/rules: unknown rule "${id}"`, true);
  }
  const settings = new Map<string, ResolvedRuleSetting>();
  for (const id of [...known.keys(), ...ENGINE_DIAGNOSTIC_IDS]) {
    const rule = known.get(id);
    const at = `/rules/${pointerSegment(id)}`;
    const setting = Object.prototype.hasOwnProperty.call(configured, id) ? configured[id] : undefined;
    const [severity, options] = Array.isArray(setting) ? [setting[0], setting.length > 1 ? setting[1] : {}] : [setting, {}];
    const severityOk = SEVERITY_VALUES.includes(severity as string);
    if (setting !== undefined && !severityOk) {
      problem(Array.isArray(setting) ? `${at}/0` : at, `/rules/${id}: ${JSON.stringify(severity) ?? 'nothing'} is not a severity; use one of ${SEVERITY_VALUES.join(', ')}, or [severity, options]`);
    }
    if (Array.isArray(setting) && setting.length > 2) problem(`${at}/2`, `/rules/${id}: write [severity] or [severity, options]`);
    let optionsOk = true;
    if (rule && Array.isArray(setting) && setting.length > 1) {
      const validateOptions = ajv.compile(rule.options.schema);
      optionsOk = validateOptions(options) && isObject(options);
      if (!optionsOk && isObject(options)) {
        for (const error of validateOptions.errors ?? []) {
          const issue = ajvIssue(error, `${at}/1`);
          issues.push({ ...issue, message: `/rules/${id} options${describeAjvError(error)}` });
        }
      } else if (!optionsOk) {
        problem(`${at}/1`, `/rules/${id} options must be an object`);
      }
    }
    settings.set(id, {
      severity: severityOk ? (severity as SeverityOrOff) : defaultSeverityOf(id, rule),
      // Options that fail their schema are dropped whole: a rule only ever sees options of its own types.
      options: rule ? { ...rule.options.defaults, ...(optionsOk && isObject(options) ? options : {}) } : {},
    });
  }
  const llmFile = isObject(file.llm) ? file.llm : {};
  const llm = { ...DEFAULT_LLM_SETTINGS };
  for (const key of Object.keys(DEFAULT_LLM_SETTINGS) as (keyof SharedSettings['llm'])[]) {
    const patterns = Object.prototype.hasOwnProperty.call(llmFile, key) ? stringArray(llmFile[key]) : undefined;
    if (patterns === undefined) continue;
    // Checked with the engine that will run them (RE2, linear time): a pattern JavaScript accepts but
    // RE2 cannot run (a lookahead, a backreference) is reported here, not silently never matched.
    llm[key] = patterns.filter((pattern, index) => {
      const compiled = compileJsPattern(pattern, { caseInsensitive: true });
      if (compiled.ok) return true;
      problem(`/llm/${key}/${index}`, `/llm/${key} has a regular expression that cannot be used (${compiled.reason}): ${pattern}`);
      return false;
    });
  }
  const nginx = isObject(file.nginx) ? file.nginx : {};
  let includePrefix: FileId | undefined;
  const includeMounts: Record<string, FileId> = Object.create(null) as Record<string, FileId>;
  if (isObject(nginx.includePrefix)) {
    for (const [container, folder] of Object.entries(nginx.includePrefix)) {
      const pointer = `/nginx/includePrefix/${pointerSegment(container)}`;
      const workspace = typeof folder === 'string' && !folder.startsWith('/') ? resolveFileId(folder) : undefined;
      if (!container.startsWith('/')) problem(pointer, `/nginx/includePrefix: "${container}" must be an absolute container path (e.g. /etc/nginx)`, true);
      else if (workspace === undefined) problem(pointer, `/nginx/includePrefix/${container} must be a folder inside the workspace, got ${JSON.stringify(folder)}`);
      else includeMounts[container] = workspace;
    }
  } else if (typeof nginx.includePrefix === 'string') {
    includePrefix = resolveFileId(nginx.includePrefix);
    if (includePrefix === undefined || nginx.includePrefix.startsWith('/')) {
      problem('/nginx/includePrefix', `/nginx/includePrefix must be a folder inside the workspace, got "${nginx.includePrefix}"`);
      includePrefix = undefined;
    }
  }
  const kubernetes = isObject(file.kubernetes) ? file.kubernetes : {};
  const chains = isObject(file.chains) ? file.chains : {};
  const helm = resolveHelm(isObject(file.helm) ? file.helm : {}, problem);
  // Keyed by workspace names (a Deployment may be called "constructor"): no prototype to inherit from.
  const services: Record<string, string> = Object.create(null) as Record<string, string>;
  if (isObject(chains.services)) {
    for (const [name, folder] of Object.entries(chains.services)) if (typeof folder === 'string') services[name] = folder;
  }
  const frontedBy: Record<string, FrontedBySetting> = Object.create(null) as Record<string, FrontedBySetting>;
  if (isObject(chains.frontedBy)) {
    for (const [name, value] of Object.entries(chains.frontedBy)) {
      const pointer = `/chains/frontedBy/${pointerSegment(name)}`;
      const entry = typeof value === 'string' ? { kind: value } : isObject(value) ? value : undefined;
      if (!entry || typeof entry.kind !== 'string' || !(FRONTED_BY_KINDS as readonly string[]).includes(entry.kind)) continue;
      const setting: FrontedBySetting = { kind: entry.kind, pointer };
      const idle = durationSetting(entry.idleTimeout, `${pointer}/idleTimeout`, problem);
      const timeout = durationSetting(entry.timeout, `${pointer}/timeout`, problem);
      if (idle !== undefined) setting.idleTimeoutMs = idle;
      if (timeout !== undefined) setting.timeoutMs = timeout;
      frontedBy[name] = setting;
    }
  }
  return {
    config: {
      rules: settings,
      ignore: stringArray(file.ignore) ?? [],
      nginx: {
        files: stringArray(nginx.files) ?? [],
        includePrefix,
        ...(Object.keys(includeMounts).length > 0 ? { includeMounts } : {}),
        ...(typeof nginx.version === 'string' ? { version: nginx.version } : {}),
      },
      kubernetes: {
        ingressNginxAnnotationPrefix: typeof kubernetes.ingressNginxAnnotationPrefix === 'string' ? kubernetes.ingressNginxAnnotationPrefix : DEFAULT_INGRESS_NGINX_PREFIX,
        ingressNginxConfigMapNames: stringArray(kubernetes.ingressNginxConfigMapNames) ?? [...DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES],
      },
      helm,
      llm,
      chains: { services, frontedBy },
    },
    errors: issues.map((issue) => issue.message),
    issues,
  };
}

/** `helm.valuesFiles`: chart folders and the values files in them, as workspace paths; a path leaving the workspace is an error. */
function resolveHelm(helm: Record<string, unknown>, problem: (pointer: string, message: string) => void): ResolvedConfig['helm'] {
  const valuesFiles = new Map<FileId, FileId[]>();
  if (!isObject(helm.valuesFiles)) return { valuesFiles };
  for (const [folder, files] of Object.entries(helm.valuesFiles)) {
    const chart = folder === '.' || folder === '' ? '' : resolveFileId(folder);
    if (chart === undefined || folder.startsWith('/')) {
      problem(`/helm/valuesFiles/${pointerSegment(folder)}`, `/helm/valuesFiles: the chart folder must be inside the workspace, got "${folder}"`);
      continue;
    }
    const resolved: FileId[] = [];
    for (const [index, name] of (stringArray(files) ?? []).entries()) {
      const file = name.startsWith('/') ? undefined : resolveFileId(chart === '' ? name : `${chart}/${name}`);
      if (file === undefined) problem(`/helm/valuesFiles/${pointerSegment(folder)}/${index}`, `/helm/valuesFiles: the values file must be inside the workspace, got "${name}"`);
      else resolved.push(file);
    }
    valuesFiles.set(chart, resolved);
  }
  return { valuesFiles };
}

/** A configuration error with its 1-based line and column in the configuration file. */
export interface ConfigProblem {
  message: string;
  line: number;
  column: number;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** Syntax and validation errors, in file order; empty when the configuration is valid. */
  problems: ConfigProblem[];
}

/**
 * The configuration from the text of a configuration file (undefined: no file, the defaults):
 * one function for the CLI and the language server. A leading UTF-8 BOM is ignored, as editors
 * write one; a JSON syntax error and every invalid value are problems at their line and column.
 * Pure: the caller reads the file.
 */
export function loadConfigText(text: string | undefined, rules: readonly Rule[]): LoadedConfig {
  if (text === undefined) return { config: resolveConfig(undefined, rules).config, problems: [] };
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const at = (offset: number, message: string): ConfigProblem => {
    const position = lines.positionAt(offset);
    return { message, line: position.line + 1, column: position.character + 1 };
  };
  const parsed = parseJsonWithPositions(source);
  if (parsed.error) {
    return { config: resolveConfig(undefined, rules).config, problems: [at(parsed.error.offset, `invalid JSON: ${parsed.error.message}`)] };
  }
  const { config, issues } = resolveConfig(parsed.value, rules);
  const problems = issues.map((issue) => ({ problem: at(offsetOf(issue, parsed.valueSpans, parsed.keySpans), issue.message) }));
  problems.sort((a, b) => a.problem.line - b.problem.line || a.problem.column - b.problem.column);
  return { config, problems: problems.map((entry) => entry.problem) };
}

/** `3:15: message`, the way the CLI and the language server print a configuration problem. */
export function formatConfigProblem(problem: ConfigProblem): string {
  return `${problem.line}:${problem.column}: ${problem.message}`;
}

/** Where an issue points: its key or value, or the nearest enclosing value that exists in the file. */
function offsetOf(issue: ConfigIssue, values: ReadonlyMap<string, JsonSpan>, keys: ReadonlyMap<string, JsonSpan>): number {
  if (issue.onKey) {
    const key = keys.get(issue.pointer);
    if (key) return key.start;
  }
  for (let pointer = issue.pointer; ; pointer = pointer.slice(0, pointer.lastIndexOf('/'))) {
    const span = values.get(pointer);
    if (span) return span.start;
    if (pointer === '') return 0;
  }
}

export function defaultConfig(rules: readonly Rule[]): ResolvedConfig {
  return resolveConfig(undefined, rules).config;
}

export function severityOf(config: ResolvedConfig, ruleId: string, fallback: Severity): SeverityOrOff {
  return config.rules.get(ruleId)?.severity ?? fallback;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An Ajv error as an issue: an unknown property points at its key, anything else at the value. */
function ajvIssue(e: ErrorObject, base: string): ConfigIssue {
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    return { message: describeAjvError(e), pointer: `${base}${e.instancePath}/${pointerSegment(key)}`, onKey: true };
  }
  return { message: describeAjvError(e), pointer: `${base}${e.instancePath}` };
}

/** The value when it is an array of strings, else undefined (the schema has reported it). */
function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath || '';
  if (e.keyword === 'additionalProperties') return `${where}: unknown setting "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

function defaultSeverityOf(id: string, rule: Rule | undefined): Severity {
  return rule?.defaultSeverity ?? ENGINE_DIAGNOSTICS.find((d) => d.id === id)?.defaultSeverity ?? 'warning';
}

/** A duration setting: a Go-style duration (`60s`, `1m30s`) or a number of seconds; anything else is an error. */
function durationSetting(value: unknown, pointer: string, problem: (pointer: string, message: string) => void): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (typeof value === 'string') {
    const parsed = parseGoDuration(value.trim());
    if (parsed.ok && parsed.ms >= 0) return parsed.ms;
  }
  problem(pointer, `${pointer} must be a duration such as "60s" or "2m", or a number of seconds`);
  return undefined;
}
