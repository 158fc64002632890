// What rules may read of the TypeScript input: per-file facts, option lookup, imported values and where code runs.
export { lookupOption } from './context.js';
export { resolveImportedValue } from './resolve.js';
export { runtimeOf } from './runtime.js';
export type { TsClient, TsFileFacts, TsHttpLibrary, TsIgnoredOption, TsOutboundCall, TsRetryWrapper, TsServer, TsStreamEvidence, TsTimeout, TsValue, TsWebSocketServer } from './types.js';
export { webSocketServerAnswers } from './websockets.js';
export type { CodePackage, TsWorkspace } from './packages.js';
