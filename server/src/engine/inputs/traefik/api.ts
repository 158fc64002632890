// What rules may read of the Traefik input: the model, its facts with places, lookups and the duration dialect.
export type { TraefikDuration, TraefikRetry, TraefikRouter, TraefikServer, TraefikService, TraefikStatic, TraefikTransport } from './facts.js';
export { entryPointsOfRouter, retriesOfRouter, serviceOfRouter, staticTransport, transportOfService, type TraefikModel } from './model.js';
export { parseTraefikDuration } from './duration.js';
