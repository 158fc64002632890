// What rules may read of the Kong input: declarative configuration files with their services, routes and upstreams.
export type { KongFile, KongNumber, KongRoute, KongService, KongUpstream } from './config.js';
