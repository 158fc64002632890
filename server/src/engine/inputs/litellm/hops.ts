// The chain hop of a LiteLLM model (deployment): the timeout of one call to the provider, how often the router tries it, and the fallback models tried after it (facts §20).
import type { Hop, HopAttempts, HopTimeout } from '../../chain/chain-types.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { LitellmConfig, LitellmModel } from './facts.js';
import { providerOf, type LitellmProvider } from './provider.js';
import type { LitellmValue } from './values.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'llm-gateway': true;
    'llm-provider': true;
  }
  interface HopRefs {
    litellm: { kind: 'litellm'; config: LitellmConfig; model: LitellmModel };
    'litellm-provider': { kind: 'litellm-provider'; config: LitellmConfig; model: LitellmModel; provider: LitellmProvider };
  }
}

/** `litellm.request_timeout` (litellm/__init__.py, `litellm/constants.py`): the proxy-wide fallback timeout, 6000 s (facts §20). */
const DEFAULT_REQUEST_TIMEOUT_S = 6000;
/** The Router's `num_retries` when neither the config nor `litellm.num_retries` sets one (facts §20). */
const DEFAULT_NUM_RETRIES = 2;
/** LiteLLM's `ROUTER_MAX_FALLBACKS` (litellm/constants.py): fallbacks beyond it are not tried. */
const MAX_FALLBACKS = 5;

/**
 * A hop for requests the proxy sends to one model. The timeout of a call is the model's own
 * `timeout`, else the router's, else `litellm_settings.request_timeout`, else 6000 s; each retry
 * (the Router retries timeouts too) gets a fresh one. When every attempt failed, the models
 * `fallbacks` names are tried in turn, each with its own timeout and retries.
 */
export function litellmModelHop(config: LitellmConfig, model: LitellmModel, streaming = false, depth = 0): Hop {
  const hop: Hop = {
    kind: 'llm-gateway',
    label: `LiteLLM model ${model.name}${model.target ? ` (${model.target.text})` : ''}`,
    span: model.nameSpan,
    timeouts: timeoutsOf(config, model, streaming),
    attempts: attemptsOf(config, model),
    llm: true,
    ref: { kind: 'litellm', config, model },
  };
  if (streaming) hop.streaming = true;
  const fallbacks = config.settings.fallbacks.get(model.name) ?? [];
  let last = hop;
  for (const name of fallbacks.slice(0, depth === 0 ? MAX_FALLBACKS : 0)) {
    const next = config.models.find((m) => m.name === name.name);
    if (!next || next === model) continue;
    last.fallback = litellmModelHop(config, next, streaming, depth + 1);
    last = last.fallback;
  }
  return hop;
}

/** A streamed request is bounded by `stream_timeout` when the model sets one (the Router uses it instead of `timeout`), else like any other. */
function timeoutsOf(config: LitellmConfig, model: LitellmModel, streaming: boolean): HopTimeout[] {
  const { settings } = config;
  const out: HopTimeout[] = [];
  if (streaming && model.streamTimeout) return [timeoutOf(model.streamTimeout, 'litellm_params.stream_timeout', 'time-to-headers', 'set')];
  if (model.timeout) out.push(timeoutOf(model.timeout, 'litellm_params.timeout', 'total', 'set'));
  else if (settings.routerTimeout) out.push(timeoutOf(settings.routerTimeout, 'router_settings.timeout', 'total', 'inherited'));
  else if (settings.requestTimeout) out.push(timeoutOf(settings.requestTimeout, 'litellm_settings.request_timeout', 'total', 'inherited'));
  else out.push({ kind: 'total', knob: 'litellm_settings.request_timeout', text: String(DEFAULT_REQUEST_TIMEOUT_S), ms: DEFAULT_REQUEST_TIMEOUT_S * 1000, source: 'default', factsRef: '§20', perAttempt: true });
  return out;
}

function timeoutOf(value: LitellmValue, knob: string, kind: TimeoutKind, source: 'set' | 'inherited'): HopTimeout {
  const timeout: HopTimeout = { kind, knob, text: value.text, source, span: value.span, factsRef: '§20', perAttempt: true };
  if (value.env) {
    // Read from the proxy's environment when it loads the config: unknown here, never a default.
    timeout.source = 'env';
    timeout.env = { name: value.env, declaredAt: value.span, fallback: false };
  } else if (value.value !== undefined) timeout.ms = value.value * 1000;
  return timeout;
}

function attemptsOf(config: LitellmConfig, model: LitellmModel): HopAttempts {
  const { settings } = config;
  const written = settings.timeoutErrorRetries
    ? { value: settings.timeoutErrorRetries, knob: 'router_settings.retry_policy.TimeoutErrorRetries' }
    : model.numRetries ? { value: model.numRetries, knob: 'litellm_params.num_retries' }
      : settings.routerNumRetries ? { value: settings.routerNumRetries, knob: 'router_settings.num_retries' }
        : settings.settingsNumRetries ? { value: settings.settingsNumRetries, knob: 'litellm_settings.num_retries' } : undefined;
  if (!written) return { count: DEFAULT_NUM_RETRIES + 1, knob: 'num_retries', source: 'default', factsRef: '§20', retriesTimeouts: true };
  // An unknown count (an environment reference) is read as no retry: the hop then claims no more than one attempt.
  const retries = written.value.value ?? 0;
  return { count: Math.max(0, Math.floor(retries)) + 1, knob: written.knob, source: 'set', span: written.value.span, factsRef: '§20', retriesTimeouts: true };
}

/**
 * The provider a model calls, named from `litellm_params.model`: where the chain ends for a hosted
 * API. It has no timeout of its own (the model's bounds the call); it says which provider answers
 * and, by being one, that the route behind the proxy is an LLM call. Undefined when the prefix is
 * not a provider LiteLLM knows.
 */
export function litellmProviderHop(config: LitellmConfig, model: LitellmModel): Hop | undefined {
  const target = model.target;
  const provider = target ? providerOf(target.text) : undefined;
  if (!target || !provider) return undefined;
  const base = model.apiBase && !model.apiBase.text.startsWith('os.environ/') ? hostOf(model.apiBase.text) : undefined;
  const hop: Hop = {
    kind: 'llm-provider',
    label: `LLM provider ${provider.name}${base ? ` at ${base}` : ''}`,
    span: target.span,
    timeouts: [],
    llm: true,
    ref: { kind: 'litellm-provider', config, model, provider },
    // The hop's own place is the model string: the evidence names it without a second place.
    evidence: [{ text: provider.inferred ? `litellm_params.model ${target.text} (LiteLLM infers ${provider.name} from the model name)` : `litellm_params.model ${target.text}` }],
  };
  return hop;
}

function hostOf(url: string): string | undefined {
  return /^\w+:\/\/([^/?#]+)/.exec(url.trim())?.[1];
}
