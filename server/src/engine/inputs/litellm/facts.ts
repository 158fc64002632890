// The facts of one LiteLLM proxy config: its models (deployments) with their per-model timeouts and retries, and the router and proxy-wide settings they fall back to.
import type { FileId, Problem, Span } from '../../types.js';
import type { YamlFile } from '../../yaml/file.js';
import type { YamlView } from '../../yaml/view.js';
import { numberAt, stringAt, type LitellmValue } from './values.js';

export interface LitellmModel {
  /** `model_name`: what clients ask for. */
  name: string;
  nameSpan: Span;
  /** `litellm_params.model`: `openai/gpt-4o`, `azure/…`, `hosted_vllm/…`. */
  target?: { text: string; span: Span };
  /** `litellm_params.api_base`, when the provider is reached at an address of its own. */
  apiBase?: { text: string; span: Span };
  timeout?: LitellmValue;
  streamTimeout?: LitellmValue;
  numRetries?: LitellmValue;
  /** `max_retries`: the provider SDK's own retries under LiteLLM's. */
  maxRetries?: LitellmValue;
}

/** `router_settings` and `litellm_settings` keys that bound every model. */
export interface LitellmSettings {
  routerTimeout?: LitellmValue;
  routerNumRetries?: LitellmValue;
  /** `router_settings.retry_policy.TimeoutErrorRetries`: retries of a timed-out call. */
  timeoutErrorRetries?: LitellmValue;
  requestTimeout?: LitellmValue;
  settingsNumRetries?: LitellmValue;
  /** `fallbacks` (router_settings or litellm_settings): model name → the model names tried after it failed. */
  fallbacks: Map<string, Array<{ name: string; span: Span }>>;
}

export interface LitellmConfig {
  file: FileId;
  /** The `model_list` key: what stands for the config in chains. */
  span: Span;
  models: LitellmModel[];
  settings: LitellmSettings;
  problems: Problem[];
}

/** Reads a parsed YAML file as a LiteLLM config; undefined when its first document has no `model_list`. */
export function litellmConfigOf(yaml: YamlFile): LitellmConfig | undefined {
  const document = yaml.documents.find((d) => d.status === 'other');
  if (!document) return undefined;
  const view = document.view;
  const root = document.document.contents;
  const list = view.field(root, 'model_list');
  if (!list) return undefined;
  const models: LitellmModel[] = [];
  for (const entry of view.items(list.value)) {
    const name = stringAt(view, entry, 'model_name');
    const params = view.get(entry, 'litellm_params');
    if (!name || !params) continue;
    models.push(modelOf(view, name, params));
  }
  const router = view.get(root, 'router_settings');
  const general = view.get(root, 'litellm_settings');
  const settings: LitellmSettings = { fallbacks: new Map() };
  set(settings, 'routerTimeout', numberAt(view, router, 'timeout'));
  set(settings, 'routerNumRetries', numberAt(view, router, 'num_retries'));
  set(settings, 'timeoutErrorRetries', numberAt(view, view.get(router, 'retry_policy'), 'TimeoutErrorRetries'));
  set(settings, 'requestTimeout', numberAt(view, general, 'request_timeout'));
  set(settings, 'settingsNumRetries', numberAt(view, general, 'num_retries'));
  readFallbacks(view, view.get(general, 'fallbacks'), settings.fallbacks);
  readFallbacks(view, view.get(router, 'fallbacks'), settings.fallbacks);
  return { file: yaml.file, span: list.key.span, models, settings, problems: [] };
}

function modelOf(view: YamlView, name: { text: string; span: Span }, params: unknown): LitellmModel {
  const model: LitellmModel = { name: name.text, nameSpan: name.span };
  const target = stringAt(view, params, 'model');
  if (target) model.target = target;
  const apiBase = stringAt(view, params, 'api_base');
  if (apiBase) model.apiBase = apiBase;
  set(model, 'timeout', numberAt(view, params, 'timeout'));
  set(model, 'streamTimeout', numberAt(view, params, 'stream_timeout'));
  set(model, 'numRetries', numberAt(view, params, 'num_retries'));
  set(model, 'maxRetries', numberAt(view, params, 'max_retries'));
  return model;
}

/** `fallbacks: [{ "gpt-4o": ["gpt-4o-mini"] }]`: each item maps one model name to the ones tried after it. */
function readFallbacks(view: YamlView, node: unknown, out: LitellmSettings['fallbacks']): void {
  for (const item of view.items(node)) {
    for (const field of view.fields(item)) {
      const names = view.items(field.value).flatMap((n) => {
        const fact = view.scalar(n);
        return fact ? [{ name: fact.text, span: fact.span }] : [];
      });
      if (names.length > 0) out.set(field.key.text, names);
    }
  }
}

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
