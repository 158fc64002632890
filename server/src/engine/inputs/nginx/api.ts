// What rules may read of the nginx input: the model, its knobs and routing helpers.
export type { NginxArg, NginxDirective } from './ast.js';
export { DEFAULT_NGINX_VERSION, NGINX_KNOBS_BY_NAME, STREAM_ONLY_TIMEOUTS, TIMEOUT_DIRECTIVES, UPSTREAM_KNOBS_BY_NAME, compareNginxVersions, type NginxKnob, type TimeoutDirectiveContext } from './knobs.js';
export { blockLabel, describeSource, effectiveValue, firstDirective, isLimitExcept, upstreamNamed, type NginxBlock, type NginxModel } from './model.js';
export { listenPortsOf } from './routing.js';
export { defaultServerOf } from './serving.js';
