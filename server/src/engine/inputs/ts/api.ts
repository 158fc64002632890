// What rules may read of the TypeScript input: per-file facts, option lookup, imported values and where code runs.
export { lookupOption } from './context.js';
export { resolveImportedValue } from './resolve.js';
export { callRuntimeOf, runtimeOf, scriptCodeEvidence, SCRIPT_CODE_FOLDER, testCodeEvidence } from './runtime.js';
export { resolveModulePath } from './resolve.js';
export type { TsClient, TsFileFacts, TsHttpLibrary, TsIgnoredOption, TsOutboundCall, TsRetryWrapper, TsServer, TsStreamEvidence, TsTimeout, TsValue, TsWebSocketServer } from './types.js';
export { webSocketServerAnswers } from './websockets.js';
export type { CodePackage, TsWorkspace } from './packages.js';
export type { FrameworkServer } from './framework-servers/server.js';
export { CACHE_LIBRARIES, type DbClient, type DbLibrary, type DbQuery, type DbTimeout, type DbTimeoutRole } from './db/types.js';
export { QUERY_BOUND_ROLES, WAIT_ROLES } from './db/specs.js';
export { dbUsesOfRoute, resolveDbTimeouts, type DbUse } from './db/links.js';
export { dbClientLabel } from './db/hop.js';
export type { EnvContext } from '../../chain/environment.js';
