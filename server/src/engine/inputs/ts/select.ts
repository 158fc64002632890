// Chooses which TypeScript/JavaScript files to read: source files outside build output, and a cheap text pre-scan before the full parse.
import type { FileId } from '../../types.js';
import { FILE_ROUTE_PATH } from './file-routes.js';
import { BUILDER_CALL_TRIGGER, DRIZZLE_CALL_TRIGGER, IMPORTED_QUERY_METHODS, MODEL_ONLY_METHODS } from './db/queries.js';

const SOURCE_EXTENSION = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const DECLARATION_FILE = /\.d\.(?:ts|mts|cts)$/i;
// Installed packages and the usual build output directories hold generated or third-party code.
const SKIPPED_DIRECTORY = /(?:^|\/)(?:node_modules|dist|build|\.next|out)\//;

/** True for a `.ts .tsx .mts .cts .js .jsx .mjs .cjs` file outside `node_modules` and build output, and not a `.d.ts`. */
export function isTsSource(file: FileId): boolean {
  return SOURCE_EXTENSION.test(file) && !DECLARATION_FILE.test(file) && !SKIPPED_DIRECTORY.test(file);
}

/**
 * Words that any fact the reader extracts depends on: a library or framework name in an import, a
 * global it recognises, a timeout-ish name, an env read, a server method. Matched case-sensitively
 * as substrings, so `timeout` also covers `setTimeout`, `keepAliveTimeout` and `AbortSignal.timeout`.
 * Keep this list a superset of every trigger in inputs/ts/*.ts (test/unit/ts-parse.test.ts checks it).
 */
const TRIGGER = new RegExp(
  [
    'fetch', 'axios', '\\bgot\\b', 'undici', '\\bky\\b', 'http', 'superagent',
    'openai', 'OpenAI', 'anthropic', 'Anthropic', "'ai'", '"ai"', 'generateText', 'streamText', 'generateObject', 'streamObject',
    'langchain', 'genai', 'GenAI', 'mistral', 'Mistral', 'groq', 'Groq', '@mastra/core', 'client-bedrock-runtime',
    'createServer', 'express', 'koa', 'Koa', 'fastify', 'Fastify', 'hono', 'Hono', 'nestjs', '\\.listen\\(', 'Router\\(',
    // Routes registered on an app passed in as a parameter, in a file that names no framework (routes.ts `paramRoutes`).
    '\\b(?:app|router)\\.(?:get|post|put|patch|delete)\\(',
    // Streaming evidence (streaming.ts): writes to the response, stream headers, stream bodies.
    // Heartbeats (heartbeats.ts) and websocket servers (websockets.ts).
    'setInterval', 'writeSSE', 'enqueue', 'rxjs', 'createSSEHandler', 'better-sse', 'socket\\.io', "'ws'", '"ws"', 'WebSocket',
    '\\.write\\(', 'flushHeaders', 'event-stream', 'chunked', 'ccel-[Bb]uffering', 'ReadableStream', 'pipeline', 'StreamResponse',
    'imeout', 'Abort', 'maxDuration', 'process\\.env', 'import\\.meta\\.env', 'maxRetries', 'retry', `['"](?:@vercel/)?ms['"]`,
    // Database clients (db/clients.ts) by module, and database uses through imported names (db/queries.ts).
    `['"](?:pg|pg-pool|postgres|mysql2(?:/promise)?|ioredis|redis|@redis/client|mongodb|mongoose|knex|typeorm|sequelize(?:-typescript)?|drizzle-orm/(?:node-postgres|postgres-js|mysql2)|@vercel/postgres)['"]`, 'prisma',
    // Drizzle builder chains and tagged-template queries through an imported client; server settings in a migration's SQL (db/server-settings.ts).
    DRIZZLE_CALL_TRIGGER, '(?:ALTER|alter)\\s+(?:ROLE|USER|DATABASE|SYSTEM|role|user|database|system)\\b',
    `\\.(?:${IMPORTED_QUERY_METHODS.map((m) => m.replace(/\$/g, '\\$')).join('|')})\\b`,
    `\\b[A-Z][\\w$]*\\.(?:${[...MODEL_ONLY_METHODS].join('|')})\\b`, BUILDER_CALL_TRIGGER,
  ].join('|'),
);

// Exported values other files may import and the reader can evaluate: `export const X =` a literal, an
// object or array, arithmetic on names, or a numeric conversion; also export lists, `export * from`
// barrels (their re-exports are what an import through them resolves by) and CommonJS exports.
// `export const schema = z.object(…)` and exported functions are not values the model reads.
const EXPORTED_VALUE = /export\s+(?:const|let|var)\s+[\w$]+\s*(?::[^=\n]+)?=\s*(?!\([^()]*\)\s*(?::[^=\n]*)?=>|async\b|function\b)(?:[\d'"`{[(+\-.!]|(?:Number|parseInt|parseFloat|Math\.\w+|ms)\s*\(|[\w$.]+\s*(?:[-+*\/%;,)\n]|\?\?|\|\||$))|export\s*\{|export\s*\*\s*(?:as\s+[\w$]+\s*)?from\b|export\s+default\s+(?!function\b|class\b|async\b)[\d{[\w$]|module\.exports|exports\.[\w$]+\s*=/;


/**
 * Cheap pre-scan (no parse): false when the file cannot contain anything the TypeScript model
 * reads, so the full parse can be skipped. It errs on the side of parsing. A skipped file that
 * another file imports (a plain helper between a route and an SDK call) is parsed on demand by
 * the cross-file layer, not here.
 */
export function shouldParseTs(file: FileId, text: string): boolean {
  return TRIGGER.test(text) || EXPORTED_VALUE.test(text) || FILE_ROUTE_PATH.test(file);
}
