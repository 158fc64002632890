// What rules may read of the HAProxy input: the model, its settings with provenance, routes and helpers.
export type { HaproxyFile, HaproxySection, HaproxyStatement, HaproxyWord } from './ast.js';
export { frontendsOf, routesOf, routesUpgrades, type HaproxyRoute } from './backends.js';
export { effectiveTimeout, findBackend, type HaproxyModel, type HaproxyProxy, type HaproxySetting, type HaproxySource } from './facts.js';
export { parseHaproxyTime } from './duration.js';
