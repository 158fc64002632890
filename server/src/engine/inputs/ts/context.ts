// Shared state of one file's fact extraction: what a callee refers to (global, library, client instance, function) and option lookups.
import { memberPath, memberRoot, spanOf, unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { TsFile } from './file.js';
import type { Span } from '../../types.js';
import type { Binding, Scope } from './scope.js';
import type { TsClient, TsFileFacts, TsImportRef, TsLibrary, TsProperty, TsTimeout, TsValue } from './types.js';
import { ValueReader } from './values.js';
import { injectToken } from './inject-tokens.js';
import { defaultClassName, isClientClass } from './client-classes.js';
import type { RawCall, WalkResult } from './walk.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { ImportResolver } from './types.js';

/** What the start of a callee (`axios` in `axios.get`) refers to. */
export type CalleeRoot =
  | { kind: 'global'; name: string }
  /** A known library's export (an `axios` default import, a required `node:http`). */
  | { kind: 'library'; library: TsLibrary | 'framework'; module: string; name: string }
  | { kind: 'client'; clientIndex: number }
  | { kind: 'function'; functionId: number }
  /** Something imported from a workspace file (or a package the reader does not know). */
  | { kind: 'imported'; ref: TsImportRef }
  | { kind: 'unknown' };

export interface Callee {
  root: CalleeRoot;
  /** Members after the root (`['chat', 'completions', 'create']`). */
  path: string[];
  /** The binding of the root identifier, for events such as `instance.defaults.timeout = n`. */
  binding?: Binding;
}

/** Reads the module a specifier names as a library the model knows, if any. */
export function libraryOfModule(module: string): TsLibrary | 'framework' | undefined {
  if (LIBRARY_BY_MODULE.has(module)) return LIBRARY_BY_MODULE.get(module);
  if (module.startsWith('@langchain/')) return 'langchain';
  if (module.startsWith('@ai-sdk/')) return 'ai';
  if (FRAMEWORK_MODULES.has(module) || module.startsWith('@nestjs/') || module.startsWith('@hono/') || module.startsWith('@fastify/') || module.startsWith('@koa/')) return 'framework';
  return undefined;
}

const LIBRARY_BY_MODULE = new Map<string, TsLibrary>([
  ['axios', 'axios'], ['got', 'got'], ['undici', 'undici'], ['ky', 'ky'], ['ky-universal', 'ky'], ['superagent', 'superagent'],
  // cross-fetch, isomorphic-fetch and isomorphic-unfetch run node-fetch (v2) on Node, which is where a server's calls run.
  ['node-fetch', 'node-fetch'], ['cross-fetch', 'node-fetch'], ['isomorphic-fetch', 'node-fetch'], ['isomorphic-unfetch', 'node-fetch'], ['http', 'node-http'], ['https', 'node-http'], ['node:http', 'node-http'], ['node:https', 'node-http'],
  ['openai', 'openai'], ['@anthropic-ai/sdk', 'anthropic'], ['ai', 'ai'], ['@google/genai', 'google-genai'], ['@mistralai/mistralai', 'mistral'], ['groq-sdk', 'groq'], ['@aws-sdk/client-bedrock-runtime', 'bedrock'],
]);
const FRAMEWORK_MODULES = new Set(['express', 'koa', 'fastify', 'hono', 'koa-router']);

/** The result of looking up an option: present, known to be absent, or impossible to tell. */
export type OptionLookup = { state: 'present'; property: TsProperty } | { state: 'absent' } | { state: 'unknown' };

export function lookupOption(options: TsValue | undefined, name: string): OptionLookup {
  if (!options) return { state: 'absent' };
  if (options.kind !== 'object') return { state: 'unknown' };
  for (let i = options.properties.length - 1; i >= 0; i--) if (options.properties[i]!.name === name) return { state: 'present', property: options.properties[i]! };
  return options.openSpread ? { state: 'unknown' } : { state: 'absent' };
}

/** A timeout written as an option, in milliseconds unless `scale` says otherwise; `0` disables when `zeroDisables`. */
export function writtenTimeout(property: TsProperty, kind: TimeoutKind, option: string, level: TsTimeout['level'], factsRef: string, settings: { zeroDisables?: boolean; scale?: number } = {}): TsTimeout {
  const timeout: TsTimeout = { kind, option, source: 'set', value: property.value, level, span: property.span, factsRef };
  if (property.value.kind === 'number') {
    timeout.ms = property.value.value * (settings.scale ?? 1);
    if (settings.zeroDisables && timeout.ms === 0) {
      delete timeout.ms;
      timeout.disabled = true;
    }
  }
  return timeout;
}

/** EventEmitter and net.Server methods that return the object they are called on. */
const RETURNS_THIS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'setMaxListeners', 'setTimeout', 'ref', 'unref']);

export class FactsContext {
  readonly values: ValueReader;
  readonly clientIndexByNode = new Map<AstNode, number>();
  /** Bindings whose root is being worked out (on the stack), across the client reader's calls back in. */
  private readonly resolving = new Set<Binding>();
  /** Cross-file callees, when the workspace layer supplies them (ts-imports.ts). */
  importResolver: ImportResolver | undefined;
  /** How an import binding was found to be a library or client from another module, for the call's evidence. */
  private readonly importEvidence = new Map<Binding, { text: string; span: Span }>();
  private readonly importedClients = new Map<Binding, number>();
  private readonly injectedClients = new Map<string, number>();
  /** Set by facts.ts: reads a client-creating expression, or returns undefined. */
  clientReader: (node: AstNode, scope: Scope, variable?: string) => number | undefined = () => undefined;

  constructor(readonly tsFile: TsFile, readonly walk: WalkResult, readonly facts: TsFileFacts) {
    this.values = new ValueReader(tsFile.file, tsFile.text);
  }

  get file(): string {
    return this.tsFile.file;
  }

  span(node: AstNode): Span {
    return spanOf(this.tsFile.file, node);
  }

  client(index: number): TsClient {
    return this.facts.clients[index]!;
  }

  /** What the callee of `call` refers to, and the member path after it. */
  callee(call: RawCall): Callee {
    const callee = unwrap(call.node.callee);
    const path = memberPath(callee);
    if (path) {
      const rootName = path[0]!;
      const rest = path.slice(1);
      if (rootName === 'this') return this.thisMember(call, rest);
      const binding = call.scope.lookup(rootName);
      const root = binding ? this.bindingRoot(binding) : rootName.includes('.') ? ({ kind: 'unknown' } as const) : ({ kind: 'global', name: rootName } as const);
      // `const client = new OpenRouterClient(…); client.complete()`: the class's method, here or in the module that exports the class.
      const method = binding && root.kind === 'unknown' && rest.length === 1 ? this.instanceMethod(binding, rest[0]!) : undefined;
      if (method) return { ...method, binding };
      return binding ? { root, path: rest, binding } : { root, path: rest };
    }
    // `new OpenAI().chat.completions.create()` or `axios.create({...}).get()`: the root is an expression.
    const root = memberRoot(callee);
    const memberNames = memberPathAfterRoot(callee);
    if (root && memberNames) {
      const clientIndex = this.clientReader(root, call.scope);
      if (clientIndex !== undefined) return { root: { kind: 'client', clientIndex }, path: memberNames };
    }
    return { root: { kind: 'unknown' }, path: [] };
  }

  /** What a binding refers to when used as a callee root. */
  bindingRoot(binding: Binding): CalleeRoot {
    // `const r = r()` (or two bindings made from each other, through aliases or the client reader)
    // loops back here while the first is still being resolved: unknown, not a stack overflow.
    if (this.resolving.has(binding)) return { kind: 'unknown' };
    this.resolving.add(binding);
    try {
      return this.bindingRootOnce(binding);
    } finally {
      this.resolving.delete(binding);
    }
  }

  private bindingRootOnce(binding: Binding): CalleeRoot {
    if (binding.kind === 'import') {
      const ref = binding.import!;
      const library = libraryOfModule(ref.module);
      if (library) return { kind: 'library', library, module: ref.module, name: ref.name };
      const resolved = this.importResolver?.(ref);
      if (resolved?.kind === 'library') {
        this.importEvidence.set(binding, resolved.evidence);
        return { kind: 'library', library: libraryOfModule(resolved.module)!, module: resolved.module, name: resolved.name };
      }
      if (resolved?.kind === 'client') {
        // The client's options and spans stay those of the module that made it.
        let index = this.importedClients.get(binding);
        if (index === undefined) {
          index = this.facts.clients.length;
          this.facts.clients.push({ ...resolved.client, variable: binding.name });
          this.importedClients.set(binding, index);
        }
        this.importEvidence.set(binding, resolved.evidence);
        return { kind: 'client', clientIndex: index };
      }
      return { kind: 'imported', ref };
    }
    if (binding.kind === 'function' && binding.declaration) {
      const functionId = this.walk.functionIdByNode.get(binding.declaration);
      return functionId === undefined ? { kind: 'unknown' } : { kind: 'function', functionId };
    }
    if (binding.kind !== 'const' || !binding.init) return { kind: 'unknown' };
    const init = unwrapAwait(binding.init);
    if (!init) return { kind: 'unknown' };
    const functionId = this.walk.functionIdByNode.get(init);
    if (functionId !== undefined) return { kind: 'function', functionId };
    if (init.type === 'Identifier') {
      const aliased = binding.scope.lookup(init.name);
      return aliased ? this.bindingRoot(aliased) : { kind: 'global', name: init.name };
    }
    const clientIndex = this.clientReader(init, binding.scope, binding.name);
    return clientIndex === undefined ? { kind: 'unknown' } : { kind: 'client', clientIndex };
  }

  private thisMember(call: RawCall, rest: string[]): Callee {
    const [name, ...after] = rest;
    if (name === undefined || !call.classNode) return { root: { kind: 'unknown' }, path: rest };
    const methodId = this.walk.classMethods.get(call.classNode)?.get(name);
    if (methodId !== undefined && after.length === 0) return { root: { kind: 'function', functionId: methodId }, path: [] };
    const member = this.walk.thisMembers.get(call.classNode)?.get(name);
    if (member?.init) {
      const clientIndex = this.clientReader(unwrapAwait(member.init)!, member.scope, `this.${name}`);
      if (clientIndex !== undefined) return { root: { kind: 'client', clientIndex }, path: after };
    }
    if (member?.typeName) {
      // NestJS injects `constructor(private readonly llm: LlmService)`: the type names the class.
      // The type may be imported as a type only (`import type { AxiosInstance } from 'axios'`).
      const ref = member.scope.lookupTypeImport(member.typeName);
      if (ref) {
        // An SDK client typed by its class (`private readonly openai: OpenAI`): made elsewhere (a provider), so its options are unknown.
        const injected = this.injectedClient(ref, name, member.declaration ?? call.node);
        if (injected !== undefined) return { root: { kind: 'client', clientIndex: injected }, path: after };
        // `@Inject(UseCaseType.CHAT)`: the token names the class a provider binds (injections.ts).
        const token = injectToken(member.declaration);
        return { root: { kind: 'imported', ref: token ? { ...ref, token } : ref }, path: after };
      }
    }
    return { root: { kind: 'unknown' }, path: rest };
  }

  /**
   * The client an injected member typed by an SDK's client class stands for (`OpenAI`, `Anthropic`,
   * axios's `AxiosInstance`), once per member; its configuration is unknown, never a default: the
   * instance is made by whatever provides it (a NestJS provider factory, a DI container).
   */
  private injectedClient(ref: TsImportRef, member: string, declaration: AstNode): number | undefined {
    const library = libraryOfModule(ref.module);
    if (library === undefined || library === 'framework' || !isClientClass(library, ref.name)) return undefined;
    const key = `${member}\u0000${ref.module}\u0000${ref.name}`;
    let index = this.injectedClients.get(key);
    if (index === undefined) {
      index = this.facts.clients.length;
      const span = this.span(declaration);
      const constructorName = ref.name === 'default' ? defaultClassName(library) : ref.name;
      this.facts.clients.push({ library, constructorName, variable: `this.${member}`, config: { kind: 'unknown', span }, timeouts: [], span, injected: true });
      this.injectedClients.set(key, index);
    }
    return index;
  }

  /** A method called on a `const` holding `new Class(…)` of a class declared in this file or imported. */
  private instanceMethod(binding: Binding, name: string): Omit<Callee, 'binding'> | undefined {
    const init = binding.kind === 'const' ? unwrapAwait(binding.init) : undefined;
    const constructor = init?.type === 'NewExpression' ? unwrap(init.callee) : undefined;
    const classBinding = constructor?.type === 'Identifier' ? binding.scope.lookup(constructor.name) : undefined;
    if (classBinding?.kind === 'class' && classBinding.declaration) {
      const functionId = this.walk.classMethods.get(classBinding.declaration)?.get(name);
      return functionId === undefined ? undefined : { root: { kind: 'function', functionId }, path: [] };
    }
    if (classBinding?.kind === 'import' && !libraryOfModule(classBinding.import!.module)) return { root: { kind: 'imported', ref: classBinding.import! }, path: [name] };
    return undefined;
  }

  /** The evidence for a callee whose root is an import resolved in another module. */
  importedVia(callee: Callee): { text: string; span: Span } | undefined {
    return callee.binding ? this.importEvidence.get(callee.binding) : undefined;
  }

  /** The module-level `import axios from 'axios'` (or require), whose `defaults` every instance inherits. */
  axiosModuleBinding(): Binding | undefined {
    for (const binding of this.walk.moduleScope.bindings.values()) if (binding.kind === 'import' && binding.import!.module === 'axios' && binding.import!.name === 'default') return binding;
    return undefined;
  }

  /** The binding a call's result is stored in (`const req = http.request(...)`, through `await`). */
  assignedBinding(call: RawCall): Binding | undefined {
    let node: AstNode = call.node;
    let parent = this.walk.parents.get(node);
    for (;;) {
      if (parent && (parent.type === 'AwaitExpression' || parent.type === 'ParenthesizedExpression' || parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression')) {
        node = parent;
        parent = this.walk.parents.get(node);
        continue;
      }
      // `const server = app.listen(port).on('error', …)`: an emitter's `on` (and the like) returns the emitter itself.
      const chained = parent?.type === 'MemberExpression' && parent.object === node && !parent.computed && parent.property.type === 'Identifier' && RETURNS_THIS.has(parent.property.name) ? this.walk.parents.get(parent) : undefined;
      if (chained?.type === 'CallExpression' && chained.callee === parent) {
        node = chained;
        parent = this.walk.parents.get(node);
        continue;
      }
      break;
    }
    // `let server; if (tls) server = https.createServer(…); else server = http.createServer(…); server.listen(port)`:
    // what is done to the variable later applies to whichever assignment ran.
    if (parent?.type === 'AssignmentExpression' && parent.operator === '=' && parent.right === node && parent.left.type === 'Identifier') {
      const binding = call.scope.lookup(parent.left.name);
      return binding?.kind === 'mutable' ? binding : undefined;
    }
    if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') return undefined;
    const binding = call.scope.lookup(parent.id.name);
    return binding && binding.init === parent.init ? binding : undefined;
  }
}

function memberPathAfterRoot(node: AstNode | undefined): string[] | undefined {
  const names: string[] = [];
  let current = unwrap(node);
  while (current && (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression')) {
    if (current.computed && current.property.type !== 'StringLiteral') return undefined;
    names.unshift(current.computed ? current.property.value : current.property.name);
    current = unwrap(current.object);
  }
  return names;
}
