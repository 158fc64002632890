// The rule-authoring API: defineRule, the rule context and the report descriptor.
import type { Fix, MessageData, Related, Severity, Span } from './types.js';
import type { InputModels, WorkspaceModel } from './workspace-model.js';


export type Fixable = 'never' | 'sometimes' | 'always';
/** The inputs a rule reads (ids of the registry, inputs/index.ts): a rule runs only when one of them holds something. */
export type RuleInput = keyof InputModels & string;

/** A JSON schema (draft-07 subset) for a rule's options; every property needs a description. */
export interface OptionsSchema {
  type: 'object';
  properties: Record<string, { description: string; [key: string]: unknown }>;
  additionalProperties: false;
}

export interface ReportDescriptor {
  messageId: string;
  data: MessageData;
  span: Span;
  related?: Related[];
  fixes?: Fix[];
  /** A severity of this finding's own, set by a rule option (e.g. browser calls at `info`); else the rule's configured severity. */
  severity?: Severity;
}

export interface RuleContext<Options> {
  readonly options: Options;
  readonly model: WorkspaceModel;
  report(descriptor: ReportDescriptor): void;
}

export interface RuleDefinition<Options extends object> {
  id: string;
  /** One sentence; identical to the first line of rules/<id>.md. */
  description: string;
  defaultSeverity: Severity;
  fixable: Fixable;
  inputs: RuleInput[];
  /**
   * True when the rule checks each of its inputs on its own (nginx directives, and separately the
   * Kubernetes annotations that become them) and never joins them: the language server then runs it
   * with the single-input rules of each input's unit, not with the call-chain rules.
   */
  perInput?: boolean;
  options: { schema: OptionsSchema; defaults: Options };
  /** Message templates; `{name}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  check(ctx: RuleContext<Options>): void;
}

export interface Rule<Options extends object = object> extends RuleDefinition<Options> {
  docsUrl: string;
}

/** Where rule documentation lives; the only place a docs URL is built. */
export const DOCS_BASE_URL = 'https://github.com/timeout-lint/timeout-lint/blob/main/rules/';

export function docsUrlFor(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export function defineRule<Options extends object>(definition: RuleDefinition<Options>): Rule<Options> {
  return { ...definition, docsUrl: docsUrlFor(definition.id) };
}

/** Fills `{name}` placeholders; a missing value stays visible as `{name}` so tests catch it. */
export function renderMessage(template: string, data: MessageData): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** Placeholder names used by a template, for the rule tester's checks. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
