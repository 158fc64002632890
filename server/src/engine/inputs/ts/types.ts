// The per-file facts read from TypeScript/JavaScript: values, outbound calls with their timeouts, LLM clients, servers and routes.
import type { FileId, Problem, Span } from '../../types.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { BrowserOnlyEvidence, TsFileRuntime } from './runtime.js';
import type { TsDbFacts } from './db/types.js';

/** A reference to something another module exports, for the cross-file resolver. */
export interface TsImportRef {
  /** The module specifier as written (`./config`, `openai`). */
  module: string;
  /** The exported name: `default`, `*` for a namespace, or a named export. */
  name: string;
  /** Properties read from it (`cfg.timeouts.llm` → ['timeouts', 'llm']). */
  path?: string[];
  /** The NestJS provider token a member typed by it is injected with (`@Inject(UseCaseType.CHAT)`), as written. */
  token?: string;
  /** Set when the reference was redirected to the class behind an interface (injections.ts): why. */
  via?: { text: string; span: Span };
}

/** A value as far as it can be known statically. Every variant carries the span of the token (or expression) that holds it. */
export type TsValue =
  /** `text` is the source as written (`30_000`, `5 * 60 * 1000`, `'30s'` for a ms() helper). */
  | { kind: 'number'; value: number; text: string; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'boolean'; value: boolean; span: Span }
  /** `process.env.X` (or `import.meta.env.X`), with its `??`/`||` default, numeric conversion and scaling (`* 1000`). */
  | { kind: 'env'; name: string; default?: TsValue; numeric: boolean; multiplier?: number; span: Span }
  /** `process.env.NODE_ENV !== 'test' ? a : b`: a choice on an environment variable, made where the code runs (chain-values.ts). */
  | { kind: 'env-choice'; name: string; equals: string; negated: boolean; then: TsValue; else: TsValue; span: Span; /** The test as written. */ test: string }
  /** A value imported from another module, left for {@link resolveImportedValue}. */
  | ({ kind: 'import'; span: Span } & TsImportRef)
  /** A template literal or concatenation with parts that are not all static. */
  | { kind: 'template'; parts: Array<string | TsValue>; span: Span }
  /** An object literal after spreads: later properties override earlier ones. `openSpread` means a spread of unknown content may add any key. */
  | { kind: 'object'; properties: TsProperty[]; openSpread: boolean; span: Span }
  /** Anything else: never guessed. */
  | { kind: 'unknown'; span: Span; reason?: string };

export interface TsProperty {
  name: string;
  value: TsValue;
  /** The whole `key: value` (or the spread that brought it in). */
  span: Span;
}

/** Where an effective setting comes from: written in code, the library's documented default, or no timeout at all. */
export type TsProvenance = 'set' | 'default' | 'none';

/** One timeout that bounds a call or a server, by kind (timeout-facts.md §0). */
export interface TsTimeout {
  kind: TimeoutKind;
  /** The option as the library spells it: `timeout`, `timeout.response`, `headersTimeout`, `signal`, `maxDuration`. */
  option: string;
  source: TsProvenance;
  /** The written value (source `set`). */
  value?: TsValue;
  /** Milliseconds in effect, when known (absent for unknown and env values: see `value`). */
  ms?: number;
  /** True when the written value switches the timer off (e.g. axios/undici/Node `0`). */
  disabled?: boolean;
  /** Candidate defaults when the default depends on a version not known (Node `keepAliveTimeout` 5 s or 65 s). */
  versionDependentMs?: Record<string, number>;
  /** Where the timeout is set: `call` arguments, a client `instance`, a library-wide `global` (defaults, dispatcher). */
  level?: 'call' | 'instance' | 'global';
  /** The property, call or assignment that sets it (absent for defaults and none). */
  span?: Span;
  /** True when each retry gets a fresh timer (timeout-facts.md §14). */
  perAttempt?: boolean;
  /** Section of reference/timeout-facts.md with the default or the semantics. */
  factsRef: string;
  /** Why the timer may not end the request (a Node server `'timeout'` listener decides what happens to the socket). */
  mayNotApply?: string;
}

/** A retry count with provenance like {@link TsTimeout}. */
export interface TsRetries {
  source: TsProvenance;
  value?: TsValue;
  /** Retries after the first attempt, when known. */
  count?: number;
  span?: Span;
  factsRef: string;
}

/** An explicit retry around an outbound call: a retry package or a hand-written loop (timeout-facts.md §14, §15 P17). */
export interface TsRetryWrapper {
  /** `p-retry`, `async-retry`, `retry` (`operation.attempt`), or a `for`/`while` loop around `try`/`catch`. */
  kind: 'p-retry' | 'async-retry' | 'retry' | 'loop';
  /** The written retry count (`retries: 3`), when there is one. */
  value?: TsValue;
  /** Retries after the first attempt, when known (`retries: 3`; `i < 3` in a loop is 2). */
  count?: number;
  /** The wrapper call, or the loop header. */
  span: Span;
}

/** `axios.defaults.<option> = value` in a module: it applies to every axios call of the process (axios-defaults.ts). */
export interface TsAxiosDefault {
  /** The option path after `defaults.` (`timeout`). */
  option: string;
  /** The assigned value; its span is the whole assignment. */
  property: TsProperty;
}

/** An option a library does not support or misreads (timeout-facts.md §15 P11). */
export interface TsIgnoredOption {
  option: string;
  value: TsValue;
  span: Span;
  /** `unsupported`: the library ignores it; `string-parsed-as-int`: axios reads `"30s"` as 30 ms. */
  reason: 'unsupported' | 'string-parsed-as-int';
  /** What the library actually uses, when it reads the value at all. */
  effectiveMs?: number;
}

export type TsHttpLibrary = 'fetch' | 'node-fetch' | 'axios' | 'got' | 'undici' | 'ky' | 'node-http' | 'superagent';
export type TsLlmLibrary = 'openai' | 'anthropic' | 'ai' | 'langchain' | 'google-genai' | 'mistral' | 'groq' | 'bedrock';
export type TsLibrary = TsHttpLibrary | TsLlmLibrary;

export interface TsUrl {
  value: TsValue;
  /** `baseURL`/`prefixUrl` of the instance, when one applies. */
  base?: TsValue;
  /** The full URL when every part is static. */
  text?: string;
  /**
   * The base is known only from the environment the code runs with (an LLM SDK's
   * `baseURL: \`${process.env.LLM_BASE_URL}/v1\``): the call has this URL only where that environment
   * names a host; elsewhere it is the provider's own API, as if no base were written.
   */
  fromEnvironment?: true;
}

/** One outbound HTTP or LLM call. */
export interface TsOutboundCall {
  library: TsLibrary;
  /** HTTP method (`GET`), or the SDK method path (`chat.completions.create`). */
  method?: string;
  url?: TsUrl;
  /** Every timer that bounds the call, including library defaults and `none` entries. */
  timeouts: TsTimeout[];
  retries?: TsRetries;
  /** True for streaming calls, false when known not to stream, undefined when unknown. */
  streaming?: boolean;
  ignoredOptions: TsIgnoredOption[];
  /** LLM `max_tokens` (or `maxTokens`, `max_completion_tokens`). */
  maxTokens?: TsValue;
  /** The `model` an LLM call asks for, when written as a literal (`model: 'reasoning'`): a gateway in front routes by it. */
  model?: string;
  /** True when an options object could not be read, so absent settings may still be set elsewhere. */
  optionsUnknown: boolean;
  /** Index into {@link TsFileFacts.clients} of the instance the call goes through. */
  clientIndex?: number;
  /** Explicit retries around the call in the same file, innermost first. */
  retryWrappers?: TsRetryWrapper[];
  /** The enclosing function ({@link TsFunction.id}); undefined at module level. */
  functionId?: number;
  /** How the callee was found in another module (`fetch re-exported by src/http.ts`). */
  evidence?: Array<{ text: string; span: Span }>;
  /**
   * A fetch whose init (and maybe URL) is a parameter of its function (`fetch(url, init)`, `{ ...init, method }`):
   * each call site of the function is read again with its own arguments (helper-calls.ts).
   */
  initFrom?: { param: number; urlParam?: number };
  /**
   * A fetch function callers supply (`options.fetch(url)`, `this.fetch(url)`, a `fetchFn` parameter): what the code calls it,
   * and the class or function callers pass it to (its local name and export names), for supplied-fetch.ts.
   */
  suppliedFetch?: { path: string; localName?: string; exports: string[]; viaParam?: { index: number; property?: string } };
  /** A helper's fetch read at this call site with this call's arguments: the helper, which argument is the init, and the fetch inside. */
  viaHelper?: { name: string; initIndex: number; span: Span };
  /**
   * Evidence in the code around this one call that it runs only in a browser, whatever its file's runtime:
   * a guard (`if (browser)`, `typeof window !== 'undefined'`), a callback only a browser runs (`useEffect`,
   * `onMount`, a JSX event handler), or a page-relative URL that a server's fetch cannot resolve.
   */
  browserOnly?: BrowserOnlyEvidence;
  /** A plain HTTP call to an LLM API (an OpenAI-compatible `/v1/chat/completions`, …): an LLM call without an SDK (llm-api.ts). */
  llmApi?: TsLlmApi;
  /**
   * An axios call through NestJS's injected `HttpService` (@nestjs/axios): the axios instance is the one
   * the package's `HttpModule` provides, which the package-level pass applies (nest-http.ts).
   */
  nestHttpService?: true;
  span: Span;
}

/**
 * How a module uses @nestjs/axios's `HttpModule`: `register(config)` provides `axios.create(config)`,
 * `registerAsync` a factory's config, and the bare module the default axios instance.
 */
export interface TsNestHttpModule {
  kind: 'register' | 'register-async' | 'bare';
  /** The config of `register(config)`, as read. */
  options?: TsValue;
  span: Span;
}

/** The LLM API a plain HTTP call names, and whether its body asks for a stream (undefined: not readable). */
export interface TsLlmApi {
  /** For chains and messages: "an OpenAI-compatible chat completions endpoint (/v1/chat/completions)". */
  words: string;
  streaming?: boolean;
}

export type { BrowserOnlyEvidence } from './runtime.js';

/** A configured client: `axios.create`, `got.extend`, `new OpenAI`, an undici `Agent`, … */
export interface TsClient {
  library: TsLibrary;
  /** The constructor or factory: `OpenAI`, `AzureOpenAI`, `ChatOpenAI`, `axios.create`, `Agent`. */
  constructorName: string;
  /** The variable (or `this.` property) holding it. */
  variable?: string;
  config: TsValue;
  timeouts: TsTimeout[];
  retries?: TsRetries;
  /** True for an undici dispatcher passed to `setGlobalDispatcher`. */
  globalDispatcher?: boolean;
  /** A member typed with the client's class and injected (a constructor parameter property): made elsewhere, its `config` is unknown. */
  injected?: true;
  span: Span;
}

export type TsServerKind = 'node-http' | 'node-https' | 'express' | 'koa' | 'fastify' | 'hono' | 'nest';

export interface TsServer {
  kind: TsServerKind;
  variable?: string;
  /** `http.createServer((req, res) => …)`: given a request listener written as a function, which answers every path itself. */
  functionListener?: true;
  timeouts: TsTimeout[];
  port?: TsValue;
  span: Span;
  /** How the server was recognised when its own code does not say (app-factories.ts). */
  evidence?: Array<{ text: string; span: Span }>;
}

export type TsRouteFramework = 'express' | 'koa' | 'fastify' | 'hono' | 'next-app' | 'next-pages' | 'nest' | 'sveltekit' | 'nitro' | 'astro' | 'remix';

export interface TsRoute {
  framework: TsRouteFramework;
  /** Upper-case HTTP method, or `ALL`. */
  method: string;
  /** The full path with same-file prefixes, when static. */
  path?: string;
  /** The handler functions (middlewares included). */
  handlerIds: number[];
  /** Outbound calls the handlers make, following same-file function calls (indices into {@link TsFileFacts.calls}). */
  callIndices: number[];
  /** Imported functions the handlers call, for the cross-file layer. */
  importedCalls: TsImportRef[];
  span: Span;
  /** How the path was put together when more than the registration wrote it (a mount prefix, a global prefix, a version). */
  evidence?: Array<{ text: string; span: Span }>;
  /**
   * The other full paths the route answers on when its router is mounted more than once in its file
   * (`app.use('', router); app.use('/api', router)`), each with how it was put together; `path` is the first mount's.
   */
  alsoAt?: Array<{
    path: string;
    evidence: Array<{ text: string; span: Span }>;
    /** The export names of the outermost router of this mount, for mounts of it in other files. */
    routerExports: string[];
    /** The deadline middlewares in front of this mount, then the registration's own. */
    deadlines?: TsMiddlewareDeadline[];
  }>;
  /**
   * The names under which this file exports the router (or Fastify plugin function) the route is
   * registered on, after same-file mounts: mounts of that export in other files add their prefixes.
   */
  routerExports?: string[];
  /** NestJS: the versions `@Version`/`@Controller({ version })` give (`neutral` for VERSION_NEUTRAL), applied when the app uses URI versioning. */
  nestVersions?: { versions: string[] | 'neutral'; span: Span };
  /** NestJS: the export names of the controller class, for RouterModule paths given to its module elsewhere. */
  nestController?: string[];
  /** Evidence the framework itself gives (NestJS `@Sse()`); the handler functions carry the rest. */
  streamEvidence?: TsStreamEvidence[];
  /** Why `path` is absent: the registration's path is an expression not known statically (`buildServerPath('/api/chat')`). */
  pathUnknown?: string;
  /** A path this file cannot finish but another may: a template or value with imported parts (`\`${API}/chat\``, `path.join(API, 'chat')`), route-paths.ts. */
  pathValue?: TsValue;
  /** A path an imported function computes from these arguments (`apiPath('chat')`), route-paths.ts. */
  pathCall?: { callee: TsImportRef; args: TsValue[] };
  /** The prefix this file's mounts give the route, for a path finished in another file. */
  pathPrefix?: string;
  /** Deadline middlewares that run before the handler: in the registration, or mounted before it on the app or router (deadline-middlewares.ts). */
  deadlines?: TsMiddlewareDeadline[];
  /** NestJS: `@UseInterceptors(…)` on the controller and the handler, outermost first (nest-interceptors.ts). */
  nestInterceptors?: TsInterceptorUse[];
  /** NestJS: decorators on the controller and the handler that may set metadata a timeout interceptor reads (nest-metadata.ts). */
  nestDecorators?: TsDecoratorUse[];
}

/** A class or module other code names: imported from another file, or this file's own class by its export names. */
export type TsClassRef = { ref: TsImportRef } | { localExports: string[] };

/** NestJS `@Module({ controllers: [...] })` and `RouterModule.register([{ path, module }])`. */
export interface TsNestModules {
  modules: Array<{ exports: string[]; controllers: TsClassRef[] }>;
  routerPaths: Array<{ path: string; module: TsClassRef; span: Span }>;
}

/** `app.use('/api', router)`, `app.route('/api', sub)`, `fastify.register(plugin, { prefix })` where the mounted router comes from another file. */
export interface TsRouteMount {
  prefix: string;
  /** A prefix made of imported constants (`app.use(API_PREFIX, router)`), finished across files; one that is not a path leaves `prefix`. */
  prefixValue?: TsValue;
  /** The imported router or plugin. */
  target: TsImportRef;
  /** The registration (`app.use`, `register`), for evidence. */
  how: string;
  /** Prefix the receiver already has in this file (a router mounted on a router). */
  receiverPrefix: string;
  /** Deadline middlewares the receiver (or what it hangs from in this file) runs before this mount: they run for every route of the mounted router. */
  deadlines?: TsMiddlewareDeadline[];
  /** How the receiver's prefix was made, for evidence. */
  receiverEvidence?: Array<{ text: string; span: Span }>;
  /** Export names of the receiver, when it is itself a router other files mount. */
  receiverExports: string[];
  span: Span;
}

/** NestJS app-wide routing set in the bootstrap file. */
export interface TsNestApp {
  globalPrefix?: { prefix: string; exclude: Array<{ path: string; method?: string }>; span: Span };
  /** `enableVersioning({ type: VersioningType.URI })`: `prefix` defaults to `v`. */
  uriVersioning?: { prefix: string; defaultVersion?: string[] | 'neutral'; span: Span };
  /** True when a setting exists but its value cannot be read (a variable prefix): nothing is applied then. */
  unknown?: boolean;
}

export interface TsFunction {
  id: number;
  name?: string;
  span: Span;
  /** Outbound calls directly inside (indices into {@link TsFileFacts.calls}). */
  callIndices: number[];
  /** Same-file functions it calls (or defines as callbacks). */
  calleeIds: number[];
  importedCalls: TsImportRef[];
  /** For an exported function: what it returns in terms of its parameters (values.ts `returnTemplate`), for callers in other files. */
  returns?: TsValue;
  /** What the function writes to the response that makes it stream, or that turns proxy buffering off (streaming.ts). */
  streamEvidence?: TsStreamEvidence[];
  /** For an exported function: the framework app it returns (`const app = express(); …; return app`), for app-factories.ts. */
  returnsApp?: 'express' | 'koa' | 'nest';
  /** Deadlines it sets on its own work (`Promise.race` with a timer): deadlines.ts. */
  deadlines?: TsDeadline[];
  /**
   * It returns a deadline middleware (`(ms = '30s') => [timeout(ms), haltOnTimedout]`): the middleware,
   * and where its time comes from, a value of its own or one of its parameters (deadline-middlewares.ts).
   */
  deadlineFactory?: { middleware: 'connect-timeout' | 'hono/timeout'; value?: TsValue; param?: { index: number; default?: TsValue }; span: Span; text: string };
}

/** A class with its heritage: the interfaces it implements and its base, by the import that names them (`module: '.'` for this file's own). */
export interface TsClassFact {
  name: string;
  exports: string[];
  implements: TsImportRef[];
  extends?: TsImportRef;
  /** The base class's name as written (`extends AbstractUseCase`). */
  extendsName?: string;
  /** Every method it declares, and those callable from outside (not private, protected or static). */
  methods: string[];
  publicMethods: string[];
  /** Methods that call `this.x()` for an `x` the class does not declare (an abstract hook a subclass implements). */
  hooks?: Record<string, string[]>;
  span: Span;
}

/** A call to a function another workspace module exports, with what its arguments are. */
export interface TsCallArguments {
  callee: TsImportRef;
  args: TsValue[];
  span: Span;
  /** Arguments that are the calling function's own parameters (their value is its callers'). */
  forwarded?: Array<{ index: number; param: NonNullable<TsDeadline['param']> }>;
}

/** A deadline code sets on its own work: `Promise.race([work, timer])`, where the timer settles after `value` ms. */
/**
 * A middleware that answers the request itself when its timer runs out (`connect-timeout`,
 * `hono/timeout`, a NestJS interceptor piping through rxjs `timeout`): it bounds the time to the
 * response headers (deadline-middlewares.ts, nest-interceptors.ts).
 */
export interface TsMiddlewareDeadline {
  /** `imported`: a call of a workspace function imported from another module, which the link step reads as a deadline factory (`factory`). */
  middleware: 'connect-timeout' | 'hono/timeout' | 'nest-rxjs-timeout' | 'imported';
  /** For `imported`: the function called and the arguments it is given. */
  factory?: { ref: TsImportRef; args: TsValue[] };
  value: TsValue;
  /** `default`: written without a time (connect-timeout's 5 s). */
  source: 'set' | 'default';
  /** The middleware call. */
  span: Span;
  /** How it was read, for evidence. */
  text: string;
  /** How it reaches the route when not written in the route's own registration (`app.use(timeout('30s'))` before it). */
  via?: { text: string; span: Span };
  /** The file it is written in, when another file's mount brought it to the route (its value is read there). */
  file?: FileId;
  /** Why the route may skip the deadline altogether (a skip flag it stores that is not known here). */
  maySkip?: { text: string; span: Span };
}

/** A class whose `intercept` applies rxjs `timeout(…)`, with where the delay comes from. */
export interface TsTimeoutInterceptor {
  className: string;
  /** The names the module exports the class under. */
  exports: string[];
  /** The delay when the class itself fixes it (a literal, a constant, a field initialiser). */
  value?: TsValue;
  /** The delay when it is a constructor parameter: which one, and its default. */
  param?: { index: number; default?: TsValue };
  /**
   * The delay when the interceptor reads it from the route's metadata (`this.reflector.get(KEY,
   * context.getHandler()) ?? 15_000`): what a decorator on the handler or controller sets, else the fallback.
   */
  metadata?: TsMetadataRead;
  /** Metadata that makes `intercept` return before the timeout (`if (reflector.get(NO_TIMEOUT, …)) return next.handle()`): routes that set it truthy get no deadline. */
  skipWhen?: TsMetadataRead[];
  /** The `timeout(…)` call. */
  span: Span;
  text: string;
}

/** A read of route metadata in an interceptor: `reflector.get(KEY, context.getHandler())`, `getAllAndOverride(KEY, [handler, class])`. */
export interface TsMetadataRead {
  key: TsValue;
  /** Where Nest looks, in order: the first that sets the key wins (getAllAndOverride). */
  targets: Array<'handler' | 'class'>;
  /** `read ?? fallback` (a 0 stays) or `read || fallback` (any falsy value is replaced). */
  fallback?: { value: TsValue; op: '??' | '||' };
  span: Span;
  text: string;
}

/** A function that makes a NestJS decorator from `SetMetadata(KEY, value)` (alone or in `applyDecorators(…)`, possibly with `UseInterceptors(…)`). */
export interface TsMetadataDecorator {
  name: string;
  exports: string[];
  /** Each `SetMetadata(key, value)`: the value is a parameter of the function (its index and default) or written there. */
  sets: Array<{ key: TsValue; param?: { index: number; default?: TsValue }; value?: TsValue }>;
  /** Interceptors its `applyDecorators(…, UseInterceptors(X))` applies along. */
  interceptors: TsInterceptorUse[];
  /** Why it may store more than `sets` says: it also applies a decorator that is not Nest's own (`applyDecorators(Timeout(5_000))`). */
  opaque?: string;
  span: Span;
}

/** A decorator call on a NestJS handler or controller that may set metadata: a workspace function (`@Timeout(300_000)`) or Nest's own `@SetMetadata(key, value)`. */
export interface TsDecoratorUse {
  /** The decorator function: imported, or this file's own (`module` '.'); absent for `@SetMetadata`. */
  ref?: TsImportRef;
  args: TsValue[];
  on: 'handler' | 'class';
  setMetadata?: { key: TsValue; value: TsValue };
  /** Written in a form whose metadata is not read (`@Fast` without a call, a computed decorator). */
  opaque?: true;
  span: Span;
  text: string;
}

/** An interceptor applied to routes: the class (`module` '.' for one of this file) and the constructor arguments when written as `new X(…)`. */
export interface TsInterceptorUse {
  ref: TsImportRef;
  args: TsValue[];
  span: Span;
  text: string;
}

export interface TsDeadline {
  value: TsValue;
  /** The race call. */
  span: Span;
  /** How it was read, for evidence. */
  text: string;
  /** When the delay is a parameter of an enclosing function: which one, which argument, which property of it (its callers give the value). */
  param?: { functionId: number; index: number; path: string[] };
}

/**
 * One piece of streaming evidence in code. `stream`: the response streams (`res.write`, an
 * event-stream header, a piped body). `no-buffering`: it sends `X-Accel-Buffering: no` itself.
 * `unknown`: a header that could be either, set from a value that is not static.
 */
export interface TsStreamEvidence {
  kind: 'stream' | 'no-buffering' | 'unknown' | 'heartbeat';
  text: string;
  span: Span;
  /** For `stream`: the response is server-sent events (an event-stream header, Hono `streamSSE`, NestJS `@Sse`). */
  sse?: boolean;
  /** For `heartbeat`: how often it writes, when the interval is static. */
  intervalMs?: number;
}

/**
 * A websocket server in code (inputs/ts/websockets.ts): socket.io (and NestJS gateways on its
 * adapter), whose engine pings every `pingInterval`, or `ws`, which pings only when the code does.
 */
export interface TsWebSocketServer {
  library: 'socket.io' | 'ws';
  /** The path it answers upgrades on; undefined when it takes any (ws without `path`) or the value is not static. */
  path?: string;
  /** True when a `path` is written but cannot be read statically. */
  pathUnknown?: boolean;
  /** socket.io `pingInterval` / `pingTimeout` with provenance (engine.io defaults 25 s / 20 s). */
  pingInterval?: TsTimeout;
  pingTimeout?: TsTimeout;
  span: Span;
}

/** A Next.js `headers()` rule of next.config with streaming evidence (`X-Accel-Buffering: no` for `/:path*`). */
export interface TsNextHeaderRule {
  /** The rule's `source` path pattern. */
  source: string;
  evidence: TsStreamEvidence[];
}

export interface TsImport {
  local: string;
  module: string;
  /** `default`, `*`, or the named export. */
  imported: string;
  span: Span;
}

export interface TsExport {
  /** The exported name (`default` for a default export). */
  name: string;
  value?: TsValue;
  functionId?: number;
  clientIndex?: number;
  /** `export { x } from '../../model/y'` and `export * from '../../model/y'` (name `*`). */
  reexport?: TsImportRef;
  span: Span;
}

export interface TsFileFacts {
  file: FileId;
  imports: TsImport[];
  exports: TsExport[];
  /** Module-level `const` declarations with their static values. */
  constants: Array<{ name: string; value: TsValue; exported: boolean; span: Span }>;
  calls: TsOutboundCall[];
  clients: TsClient[];
  servers: TsServer[];
  /**
   * `app.listen(port)` on what an imported function returns (`const app = createApp()`): a server whose
   * framework the function's module decides; the package-level pass (app-factories.ts) makes it a server
   * of {@link servers} when that function returns an app, and drops it otherwise.
   */
  factoryServers?: Array<{ factory: TsImportRef; server: TsServer }>;
  routes: TsRoute[];
  /**
   * Routes registered on a function parameter in a file that imports no framework (`function register(app) { app.get(…) }`
   * in plain JS): the package's one server framework decides what they are (route-prefixes.ts).
   */
  paramRoutes?: Array<Omit<TsRoute, 'framework'>>;
  /** Classes that implement an interface or extend a base class (injections.ts). */
  classes?: TsClassFact[];
  /** NestJS `@Module({ providers: [{ provide: TOKEN, useClass: Class }] })` bindings (injections.ts). */
  nestProviders?: Array<{ token: string; useClass: TsImportRef; span: Span }>;
  /** NestJS classes whose `intercept` applies rxjs `timeout(…)` (nest-interceptors.ts). */
  timeoutInterceptors?: TsTimeoutInterceptor[];
  /** NestJS interceptors applied to every route of the app: `app.useGlobalInterceptors(…)`, `APP_INTERCEPTOR` providers. */
  nestGlobalInterceptors?: TsInterceptorUse[];
  /** Functions that make metadata decorators (`export const Timeout = (ms: number) => SetMetadata(TIMEOUT_KEY, ms)`), nest-metadata.ts. */
  metadataDecorators?: TsMetadataDecorator[];
  /** Calls to functions other workspace modules export, with their arguments' values (deadlines.ts): a parameter's value at its call sites. */
  callArguments?: TsCallArguments[];
  /** Routers and plugins from other files mounted here under a prefix. */
  mounts?: TsRouteMount[];
  nestApp?: TsNestApp;
  nestModules?: TsNestModules;
  functions: TsFunction[];
  /** Next.js `export const maxDuration` (seconds); `staticLiteral` false when Next cannot read it (facts §11.2). */
  maxDuration?: { value: TsValue; staticLiteral: boolean; span: Span };
  /** Inline middlewares mounted without a path (`app.use((req, res, next) => …)`), in source order. */
  useMiddlewares?: Array<{ functionId: number; span: Span }>;
  /** next.config `headers()` rules that carry streaming evidence. */
  nextHeaders?: TsNextHeaderRule[];
  /** `axios.defaults.*` assignments: the package-level pass applies them to the other modules' calls. */
  axiosDefaults?: TsAxiosDefault[];
  /** `HttpModule` of @nestjs/axios as this module uses it: the package-level pass gives HttpService calls its instance (nest-http.ts). */
  nestHttpModules?: TsNestHttpModule[];
  /** Non-relative import specifiers that name workspace files (tsconfig `paths`, workspace packages by name): workspace-specifiers.ts. */
  moduleFiles?: Record<string, FileId>;
  /** How a specifier of {@link moduleFiles} was resolved when a manifest's `exports` or entry fields decided it, for link evidence. */
  moduleEvidence?: Record<string, string>;
  /** `{ fetch: fn }` options passed to classes and functions (`new Client({ fetch: fetchWithTimeout })`): supplied-fetch.ts. */
  fetchSuppliers?: TsFetchSupplier[];
  /** Websocket servers the file creates (socket.io, ws, NestJS gateways). */
  webSocketServers?: TsWebSocketServer[];
  /** Timers that send websocket pings (`setInterval(() => ws.ping(), 30_000)`), for ws servers of the same package. */
  webSocketPings?: TsStreamEvidence[];
  /** Environment variables read anywhere in the file. */
  envReads: Array<{ name: string; span: Span }>;
  /** What the file itself says about running in a browser or on a server (inputs/ts/runtime.ts); absent when it says nothing. */
  runtime?: TsFileRuntime;
  /** Database and cache clients, and the queries functions run through them (inputs/ts/db/). */
  db?: TsDbFacts;
  problems: Problem[];
}

/** What an imported name finally is, when it is a library export or a client another module made. */
export type ImportedCallee =
  | { kind: 'library'; module: string; name: string; evidence: { text: string; span: Span } }
  | { kind: 'client'; client: TsClient; evidence: { text: string; span: Span } }
  /** A function whose fetch calls take their init from a parameter: read again at each call site (helper-calls.ts). */
  | { kind: 'helper'; name: string; calls: TsOutboundCall[]; evidence: { text: string; span: Span }; onlyThese: boolean };

export type ImportResolver = (ref: TsImportRef) => ImportedCallee | undefined;

/** A function-valued fetch option passed to a class or function (`new Client({ fetch: fetchWithTimeout })`). */
export interface TsFetchSupplier {
  /** The class or function called: imported, or this file's own by local name. */
  target: { ref: TsImportRef } | { local: string };
  /** The argument that carries it, and the option inside it (`fetch` of `{ fetch: … }`) when it is an object. */
  argIndex: number;
  property?: string;
  /** The function passed: this file's, imported, native fetch, or something not known (its text). */
  fn: { functionId: number } | { ref: TsImportRef } | { native: true } | { unknown: string };
  /** The `fetch: …` property or the argument. */
  span: Span;
  text: string;
}
