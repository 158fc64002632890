// Editor settings (`timeoutLint.*` via workspace/configuration) and how they refine the config file.
import { DEFAULT_DIAGNOSTICS_PER_FILE, normalizeCap } from './diagnostic-cap.js';
import type { TraceLevel } from './log.js';
import { compileJsPattern } from '../engine/safe-regex.js';
import type { ResolvedConfig } from '../engine/config.js';
import { ENGINE_DIAGNOSTIC_IDS } from '../engine/engine-diagnostics.js';
import type { Rule } from '../engine/rule.js';
import type { SeverityOrOff } from '../engine/types.js';
import { resolveFileId } from '../engine/workspace-fs.js';

export const SETTINGS_SECTION = 'timeoutLint';

export interface LlmPatternSettings {
  pathPatterns: string[];
  upstreamPatterns: string[];
  streamingPathPatterns: string[];
}

export interface Settings {
  enable: boolean;
  /** When to re-lint an edited document: on every change (debounced) or when it is saved. */
  run: 'onType' | 'onSave';
  /** Severity per rule id, applied over the config file (like vscode-eslint's rulesCustomizations). */
  ruleSeverities: Record<string, SeverityOrOff>;
  unsafeFixesInFixAll: boolean;
  /** Overrides the config file's `nginx.includePrefix` when not empty. */
  nginx: { includePrefix: string };
  /** Each non-empty list replaces the config file's list. */
  llm: LlmPatternSettings;
  /** At most this many diagnostics are published per file, plus a summary of the rest (diagnostic-cap.ts). */
  maxDiagnosticsPerFile: number;
  /** `trace.server`: `verbose` also logs every lint run with its time (log.ts). */
  traceServer: TraceLevel;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  run: 'onType',
  ruleSeverities: {},
  unsafeFixesInFixAll: false,
  nginx: { includePrefix: '' },
  llm: { pathPatterns: [], upstreamPatterns: [], streamingPathPatterns: [] },
  maxDiagnosticsPerFile: DEFAULT_DIAGNOSTICS_PER_FILE,
  traceServer: 'off',
};

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

/** Reads whatever the client sent (possibly null, partial or mistyped) into complete settings. */
export function normalizeSettings(raw: unknown): Settings {
  const value = isObject(raw) ? raw : {};
  const nginx = isObject(value.nginx) ? value.nginx : {};
  const llm = isObject(value.llm) ? value.llm : {};
  const trace = isObject(value.trace) ? value.trace : {};
  const severities: Record<string, SeverityOrOff> = {};
  if (isObject(value.ruleSeverities)) {
    for (const [id, severity] of Object.entries(value.ruleSeverities)) {
      if (typeof severity === 'string' && SEVERITIES.has(severity)) severities[id] = severity as SeverityOrOff;
    }
  }
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    ruleSeverities: severities,
    unsafeFixesInFixAll: value.unsafeFixesInFixAll === true,
    nginx: { includePrefix: typeof nginx.includePrefix === 'string' ? nginx.includePrefix : '' },
    llm: {
      pathPatterns: stringList(llm.pathPatterns),
      upstreamPatterns: stringList(llm.upstreamPatterns),
      streamingPathPatterns: stringList(llm.streamingPathPatterns),
    },
    maxDiagnosticsPerFile: normalizeCap(value.maxDiagnosticsPerFile),
    traceServer: trace.server === 'messages' || trace.server === 'verbose' ? trace.server : 'off',
  };
}

/**
 * Applies settings over a resolved config (a copy; the input is not changed). Returns messages for
 * settings that could not be applied; they are shown on the config file, and linting goes on.
 */
export function applySettings(config: ResolvedConfig, settings: Settings, rules: readonly Rule[]): { config: ResolvedConfig; errors: string[] } {
  const errors: string[] = [];
  const known = new Set([...rules.map((r) => r.id), ...ENGINE_DIAGNOSTIC_IDS]);
  const ruleSettings = new Map(config.rules);
  for (const [id, severity] of Object.entries(settings.ruleSeverities)) {
    if (!known.has(id)) {
      errors.push(`setting timeoutLint.ruleSeverities: unknown rule "${id}"`);
      continue;
    }
    const current = ruleSettings.get(id);
    ruleSettings.set(id, { severity, options: current?.options ?? {} });
  }
  let includePrefix = config.nginx.includePrefix;
  if (settings.nginx.includePrefix !== '') {
    const resolved = settings.nginx.includePrefix.startsWith('/') ? undefined : resolveFileId(settings.nginx.includePrefix);
    if (resolved === undefined) errors.push(`setting timeoutLint.nginx.includePrefix must be a folder inside the workspace, got "${settings.nginx.includePrefix}"`);
    else includePrefix = resolved;
  }
  const llm = { ...config.llm };
  for (const key of ['pathPatterns', 'upstreamPatterns', 'streamingPathPatterns'] as const) {
    const patterns = settings.llm[key];
    if (patterns.length === 0) continue;
    const invalid = patterns.filter((p) => !isValidRegExp(p));
    if (invalid.length > 0) errors.push(`setting timeoutLint.llm.${key} has invalid regular expressions: ${invalid.join(', ')}`);
    else llm[key] = patterns;
  }
  return { config: { ...config, rules: ruleSettings, nginx: { ...config.nginx, includePrefix }, llm }, errors };
}

/** Valid for the engine that runs the patterns (RE2, see engine/safe-regex.ts), not only for JavaScript. */
function isValidRegExp(pattern: string): boolean {
  return compileJsPattern(pattern, { caseInsensitive: true }).ok;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
