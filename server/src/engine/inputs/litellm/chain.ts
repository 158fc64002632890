// LiteLLM proxies in call chains: a client calling the proxy (its container's name, or a loopback port 4000) reaches the models of its config; each model leads to its provider.
import { isLoopback, looksInternal } from '../../chain/addresses.js';
import { imageName } from '../../chain/image-name.js';
import { splitUrl } from '../../chain/path-match.js';
import type { HopEvidence } from '../../chain/chain-types.js';
import type { ChainLinker, ChainTarget, Step, Walker } from '../../chain/walk.js';
import type { LitellmConfig, LitellmModel } from './facts.js';
import { litellmModelHop, litellmProviderHop } from './hops.js';

export interface LitellmModelSet {
  configs: LitellmConfig[];
}

/** The proxy's default `--port` (`litellm --config …` serves on 4000 unless told otherwise). */
const DEFAULT_PORT = 4000;
/** The name part of an image that runs the LiteLLM proxy (`ghcr.io/berriai/litellm:main-stable`, `litellm/litellm-database`). */
const LITELLM_IMAGE = /^litellm(-[\w-]+)?$/i;

export function litellmLinker(model: LitellmModelSet, walker: Walker): ChainLinker {
  const modelKey = (config: LitellmConfig, m: LitellmModel) => `litellm:${config.file}:${m.nameSpan.start}`;

  /** Host names that name the proxy: deployables running a LiteLLM image, and names that say litellm. */
  let proxyNames: Map<string, string> | undefined;
  const namesOfProxy = (): Map<string, string> => {
    if (proxyNames) return proxyNames;
    proxyNames = new Map();
    for (const deployable of walker.deployables()) {
      const image = deployable.image;
      if (!image || !LITELLM_IMAGE.test(imageName(image))) continue;
      for (const name of deployable.names) proxyNames.set(name.toLowerCase(), `${deployable.owner} runs the LiteLLM image ${image}`);
    }
    return proxyNames;
  };

  const configTarget = (config: LitellmConfig, evidence: HopEvidence[]): ChainTarget => ({
    key: `litellm:${config.file}`,
    follow(step, request) {
      // The proxy routes by the `model` the call asks for (its `model_name`); a model the call does not name, or one the config lacks, leaves every model possible.
      const asked = request.model !== undefined ? config.models.filter((m) => m.name === request.model) : [];
      for (const m of asked.length > 0 ? asked : config.models) {
        const key = modelKey(config, m);
        walker.markReached(key);
        if (!walker.enter(step, key)) continue;
        const chosen = asked.length > 0 ? [...evidence, { text: `model_name ${m.name}, the model the call asks for`, span: m.nameSpan }] : evidence;
        walker.withLinkEvidence(chosen, () => followProvider(walker.extend(step, litellmModelHop(config, m, step.hops.at(-1)?.streaming === true), key), config, m));
      }
    },
  });

  /**
   * A model's provider: an address in the workspace (a vLLM or Ollama service) is followed; a
   * hosted API ends the chain at the provider `litellm_params.model` names.
   */
  const followProvider = (step: Step, config: LitellmConfig, m: LitellmModel): void => {
    const hop = step.hops.at(-1)!;
    const url = m.apiBase && !m.apiBase.text.startsWith('os.environ/') ? splitUrl(m.apiBase.text) : undefined;
    if (!url?.host || !(looksInternal(url.host) || isLoopback(url.host))) {
      const provider = litellmProviderHop(config, m);
      const key = `${modelKey(config, m)}:provider`;
      if (!provider) walker.finish(step);
      // enter() ends the step itself when it cannot go on (a bound reached).
      else if (walker.enter(step, key)) walker.finish(walker.extend(step, provider, key));
      return;
    }
    const targets = walker.resolve({ host: url.host, port: url.port, path: url.path, internalOnly: true });
    if (targets.length === 0) {
      if (walker.holdsServices() && looksInternal(url.host)) walker.stop(step, hop, `api_base host ${url.host} of ${hop.label} matches no Service or compose service in the workspace`, m.apiBase!.span);
      else walker.finish(step);
      return;
    }
    for (const target of targets) walker.withLinkEvidence([{ text: `api_base ${m.apiBase!.text}`, span: m.apiBase!.span }], () => target.follow(step, { path: url.path }, 'POST', 'default'));
  };

  const evidenceFor = (config: LitellmConfig, why: string): HopEvidence[] => [{ text: `${why}; its config is ${config.file}`, span: config.span }];

  return {
    holdsServices: () => model.configs.length > 0,
    targets: {
      service(request) {
        if (model.configs.length === 0) return [];
        const host = request.host.toLowerCase();
        const why = namesOfProxy().get(host) ?? (/(^|[-_.])litellm([-_.]|$)/.test(host.split('.')[0]!) ? `host ${request.host} names the LiteLLM proxy` : undefined);
        if (!why) return [];
        return model.configs.map((config) => configTarget(config, evidenceFor(config, why)));
      },
      local(request) {
        if (model.configs.length === 0 || !isLoopback(request.host) || request.port !== DEFAULT_PORT) return [];
        return model.configs.map((config) => configTarget(config, evidenceFor(config, `port ${DEFAULT_PORT} is the LiteLLM proxy's default port`)));
      },
    },
    entries: {
      // Last: service code calls the proxy, so its models start chains of their own only when no code reached them.
      dependencies() {
        for (const config of model.configs) {
          for (const m of config.models) {
            const key = modelKey(config, m);
            if (walker.wasReached(key)) continue;
            followProvider({ hops: [litellmModelHop(config, m)], seen: new Set([key]) }, config, m);
          }
        }
      },
    },
  };
}
