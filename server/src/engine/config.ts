// The configuration file (timeout-lint.config.json): its schema, defaults and validation.
import Ajv from 'ajv';
import type { Rule } from './rule.js';
import type { SharedSettings } from './model/workspace-model.js';
import type { FileId, Severity, SeverityOrOff } from './types.js';
import { resolveFileId } from './workspace-fs.js';
import { ENGINE_DIAGNOSTIC_IDS, ENGINE_DIAGNOSTICS } from './engine-diagnostics.js';
import type { ErrorObject } from 'ajv';
import { DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES, DEFAULT_INGRESS_NGINX_PREFIX } from './model/k8s-model.js';

export const CONFIG_FILE_NAME = 'timeout-lint.config.json';

export type RuleSetting = SeverityOrOff | [SeverityOrOff] | [SeverityOrOff, Record<string, unknown>];

export interface ConfigFile {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  nginx?: { files?: string[]; includePrefix?: string; version?: string };
  kubernetes?: { ingressNginxAnnotationPrefix?: string; ingressNginxConfigMapNames?: string[] };
  llm?: Partial<SharedSettings['llm']>;
  chains?: { services?: Record<string, string> };
}

export interface ResolvedRuleSetting {
  severity: SeverityOrOff;
  options: Record<string, unknown>;
}

export interface ResolvedConfig {
  rules: Map<string, ResolvedRuleSetting>;
  ignore: string[];
  nginx: { files: string[]; includePrefix: FileId | undefined; version?: string };
  kubernetes: { ingressNginxAnnotationPrefix: string; ingressNginxConfigMapNames: string[] };
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
          includePrefix: { type: 'string', description: 'Workspace folder that absolute include paths resolve against (include /etc/nginx/x.conf reads <includePrefix>/etc/nginx/x.conf). Nothing outside the workspace is read.' },
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
        },
      },
    },
  };
}

export interface ConfigResult {
  config: ResolvedConfig;
  /** Human-readable errors: unknown keys, bad severities, invalid rule options, bad regexes. */
  errors: string[];
}

/** Validates a parsed config file and merges it over the defaults. Never throws. */
export function resolveConfig(raw: unknown, rules: readonly Rule[]): ConfigResult {
  const errors: string[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false });
  if (raw !== undefined && !isObject(raw)) errors.push('the configuration must be a JSON object');
  const file: ConfigFile = isObject(raw) ? (raw as ConfigFile) : {};
  // The rules section is checked by hand so that messages name the rule ("unknown rule x"), not a schema path.
  const { rules: _rules, ...rest } = file;
  // Compiling the schema costs tens of milliseconds: an empty file (or none) has nothing to validate.
  if (Object.keys(rest).length > 0) {
    const validateRest = ajv.compile({ ...buildConfigSchema(rules), properties: { ...(buildConfigSchema(rules).properties as object), rules: { type: 'object' } } });
    if (!validateRest(rest)) errors.push(...(validateRest.errors ?? []).map(describeAjvError));
  }
  if (file.rules !== undefined && !isObject(file.rules)) errors.push('/rules must be an object of rule id → severity or [severity, options]');
  const known = new Map(rules.map((r) => [r.id, r]));
  for (const id of Object.keys(isObject(file.rules) ? file.rules : {})) {
    if (!known.has(id) && !ENGINE_DIAGNOSTIC_IDS.has(id)) errors.push(`/rules: unknown rule "${id}"`);
  }
  const settings = new Map<string, ResolvedRuleSetting>();
  const configured = isObject(file.rules) ? file.rules : {};
  for (const id of [...known.keys(), ...ENGINE_DIAGNOSTIC_IDS]) {
    const rule = known.get(id);
    const setting = configured[id];
    const [severity, options] = Array.isArray(setting) ? [setting[0], setting[1] ?? {}] : [setting, {}];
    if (setting !== undefined && !SEVERITY_VALUES.includes(severity as string)) {
      errors.push(`/rules/${id}: ${JSON.stringify(severity)} is not a severity; use one of ${SEVERITY_VALUES.join(', ')}, or [severity, options]`);
    }
    if (Array.isArray(setting) && setting.length > 2) errors.push(`/rules/${id}: write [severity] or [severity, options]`);
    if (rule && Array.isArray(setting) && setting.length > 1) {
      const validateOptions = ajv.compile(rule.options.schema);
      if (!validateOptions(options)) errors.push(...(validateOptions.errors ?? []).map((e) => `/rules/${id} options${describeAjvError(e)}`));
    }
    settings.set(id, {
      severity: SEVERITY_VALUES.includes(severity as string) ? (severity as SeverityOrOff) : defaultSeverityOf(id, rule),
      options: rule ? { ...rule.options.defaults, ...(isObject(options) ? options : {}) } : {},
    });
  }
  const llm = { ...DEFAULT_LLM_SETTINGS, ...(isObject(file.llm) ? file.llm : {}) };
  for (const [key, patterns] of Object.entries(llm)) {
    for (const pattern of patterns as string[]) {
      try {
        new RegExp(pattern, 'i');
      } catch {
        errors.push(`/llm/${key} has an invalid regular expression: ${pattern}`);
      }
    }
  }
  let includePrefix: FileId | undefined;
  if (file.nginx?.includePrefix !== undefined) {
    includePrefix = resolveFileId(file.nginx.includePrefix);
    if (includePrefix === undefined || file.nginx.includePrefix.startsWith('/')) {
      errors.push(`/nginx/includePrefix must be a folder inside the workspace, got "${file.nginx.includePrefix}"`);
      includePrefix = undefined;
    }
  }
  return {
    config: {
      rules: settings,
      ignore: Array.isArray(file.ignore) ? file.ignore : [],
      nginx: { files: file.nginx?.files ?? [], includePrefix, ...(typeof file.nginx?.version === 'string' ? { version: file.nginx.version } : {}) },
      kubernetes: {
        ingressNginxAnnotationPrefix: file.kubernetes?.ingressNginxAnnotationPrefix ?? DEFAULT_INGRESS_NGINX_PREFIX,
        ingressNginxConfigMapNames: file.kubernetes?.ingressNginxConfigMapNames ?? [...DEFAULT_INGRESS_NGINX_CONFIGMAP_NAMES],
      },
      llm: llm as SharedSettings['llm'],
      chains: { services: isObject(file.chains) && isObject(file.chains.services) ? (file.chains.services as Record<string, string>) : {} },
    },
    errors,
  };
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

function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath || '';
  if (e.keyword === 'additionalProperties') return `${where}: unknown setting "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

function defaultSeverityOf(id: string, rule: Rule | undefined): Severity {
  return rule?.defaultSeverity ?? ENGINE_DIAGNOSTICS.find((d) => d.id === id)?.defaultSeverity ?? 'warning';
}
