// Heartbeats in code: timers that write to an open stream (an SSE comment every 15 s) or ping websocket clients, with their interval when it is static.
import { memberPath, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { TsStreamEvidence, TsValue } from './types.js';
import type { RawCall } from './walk.js';

/** Calls that put bytes on an open stream: `res.write`, Hono `stream.writeSSE`/`write`/`writeln`, a web stream controller's `enqueue`. */
const WRITE_METHODS = new Set(['write', 'writeSSE', 'writeln', 'enqueue']);
/** How deep a timer's callback is followed into same-file helpers (`setInterval(() => sendEvent(res, …))`). */
const HELPER_DEPTH = 2;

interface Timer {
  call: RawCall;
  /** The function the timer runs; undefined for `timers/promises` loops, where the enclosing function writes. */
  callbackId?: number;
  delay?: AstNode;
}

/**
 * Collects heartbeat evidence during the per-file facts pass: `see` every call in walk order, then
 * `finish` once every function's calls are known. A heartbeat is evidence of its host function (the
 * handler that starts it); one started at module level counts for every SSE handler of the file.
 */
export class HeartbeatReader {
  private readonly writers = new Set<number>();
  private readonly pingers = new Set<number>();
  private readonly timers: Timer[] = [];
  private readonly sleeps: RawCall[] = [];
  /** Parameters that send an event when called: `send` of use-next-sse's `createSSEHandler(async (send, close) => …)`. */
  private readonly sendParams = new Set<AstNode>();

  constructor(private readonly ctx: FactsContext) {}

  see(call: RawCall): void {
    const node = call.node;
    if (node.type === 'NewExpression') return;
    const path = memberPath(node.callee);
    if (!path || path.length === 0) return;
    const method = path[path.length - 1]!;
    if (path.length === 1) this.seeSseLibrary(call, path[0]!);
    if (path.length > 1 && call.functionId !== undefined) {
      if (WRITE_METHODS.has(method)) this.writers.add(call.functionId);
      else if (method === 'ping') this.pingers.add(call.functionId);
      // Hono's `stream.sleep(ms)` between writes of a `streamSSE` loop.
      else if (method === 'sleep' && path.length === 2) this.sleeps.push(call);
    }
    const args = node.arguments as AstNode[];
    const timer = this.timerKind(call, path);
    if (timer === 'callback') this.timers.push({ call, ...this.callbackOf(call, args[0]), ...(args[1] ? { delay: args[1] } : {}) });
    else if (timer === 'promises' && call.functionId !== undefined) this.timers.push({ call, ...(args[0] ? { delay: args[0] } : {}) });
    else if (timer === 'rxjs-interval' && call.functionId !== undefined) this.add(this.host(call.functionId), this.evidence(call, args[0], 'interval(#) (rxjs)'));
    else if (timer === 'rxjs-timer' && call.functionId !== undefined && args[1]) this.add(this.host(call.functionId), this.evidence(call, args[1], 'timer(…, #) (rxjs)'));
  }

  /** Attaches the heartbeats to their host functions and returns the timers that ping websocket clients. */
  finish(): TsStreamEvidence[] {
    const pings: TsStreamEvidence[] = [];
    const moduleLevel: TsStreamEvidence[] = [];
    for (const timer of this.timers) {
      const runner = timer.callbackId ?? timer.call.functionId;
      if (runner === undefined) continue;
      const evidence = this.evidence(timer.call, timer.delay, timer.callbackId === undefined ? 'setInterval(#) (timers/promises)' : 'setInterval(…, #)');
      if (this.reaches(runner, this.writers)) {
        if (timer.call.functionId === undefined) moduleLevel.push(evidence);
        else this.add(this.host(timer.call.functionId), evidence);
      }
      if (this.reaches(runner, this.pingers)) pings.push({ ...evidence, text: `${evidence.text} pings` });
    }
    for (const sleep of this.sleeps) {
      if (!this.writers.has(sleep.functionId!)) continue;
      this.add(this.host(sleep.functionId!), this.evidence(sleep, (sleep.node.arguments as AstNode[])[0], `${memberPath(sleep.node.callee)!.join('.')}(#)`));
    }
    if (moduleLevel.length > 0) {
      for (const fn of this.ctx.facts.functions) if (fn.streamEvidence?.some((e) => e.sse)) fn.streamEvidence.push(...moduleLevel);
    }
    return pings;
  }

  /** Records the `send` parameter of an SSE library's handler callback, and calls of it as writes. */
  private seeSseLibrary(call: RawCall, name: string): void {
    const binding = call.scope.lookup(name);
    if (binding?.import?.module === 'use-next-sse' && binding.import.name === 'createSSEHandler') {
      const callback = unwrap((call.node.arguments as AstNode[])[0]);
      const send = callback && this.ctx.walk.functionIdByNode.has(callback) ? unwrap((callback.params as AstNode[])[0]) : undefined;
      if (send?.type === 'Identifier') this.sendParams.add(send);
    } else if (binding?.kind === 'param' && call.functionId !== undefined && this.sendParams.has(binding.id)) this.writers.add(call.functionId);
  }

  private timerKind(call: RawCall, path: string[]): 'callback' | 'promises' | 'rxjs-interval' | 'rxjs-timer' | undefined {
    const name = path[path.length - 1]!;
    const root = path[0]!;
    const imported = call.scope.lookup(root);
    const module = imported?.import?.module;
    if (path.length === 1) {
      if (name === 'setInterval') {
        if (!imported) return 'callback';
        if (module && /^(?:node:)?timers$/.test(module)) return 'callback';
        if (module && /^(?:node:)?timers\/promises$/.test(module)) return 'promises';
        return undefined;
      }
      if (module === 'rxjs' && imported!.import!.name === 'interval') return 'rxjs-interval';
      if (module === 'rxjs' && imported!.import!.name === 'timer') return 'rxjs-timer';
      return undefined;
    }
    if (path.length === 2 && name === 'setInterval' && !imported && (root === 'global' || root === 'globalThis' || root === 'window')) return 'callback';
    if (path.length === 2 && name === 'setInterval' && module && /^(?:node:)?timers$/.test(module)) return 'callback';
    return undefined;
  }

  private callbackOf(call: RawCall, argument: AstNode | undefined): { callbackId?: number } {
    let node = unwrap(argument);
    if (node?.type === 'Identifier') {
      const binding = call.scope.lookup(node.name);
      node = binding?.declaration ?? unwrap(binding?.init);
    }
    const id = node ? this.ctx.walk.functionIdByNode.get(node) : undefined;
    return id !== undefined ? { callbackId: id } : {};
  }

  /** True when the function, or a same-file helper it calls, is in `set`. */
  private reaches(id: number, set: Set<number>, depth = 0, seen = new Set<number>()): boolean {
    if (set.has(id)) return true;
    if (depth >= HELPER_DEPTH || seen.has(id)) return false;
    seen.add(id);
    return (this.ctx.facts.functions[id]?.calleeIds ?? []).some((callee) => this.reaches(callee, set, depth + 1, seen));
  }

  /**
   * The function a heartbeat counts for: its own, unless that is an object method such as a
   * `ReadableStream`'s `start(controller)`, which the route handler reaches only through the object.
   */
  private host(id: number): number {
    let current = id;
    for (let guard = 0; guard < 8 && this.ctx.walk.functionNodes[current]?.type === 'ObjectMethod'; guard++) {
      const outer = this.enclosing(current);
      if (outer === undefined) break;
      current = outer;
    }
    return current;
  }

  private enclosing(id: number): number | undefined {
    const inner = this.ctx.facts.functions[id]!.span;
    let best: number | undefined;
    for (const fn of this.ctx.facts.functions) {
      if (fn.id === id || fn.span.start > inner.start || fn.span.end < inner.end) continue;
      if (best === undefined || fn.span.start >= this.ctx.facts.functions[best]!.span.start) best = fn.id;
    }
    return best;
  }

  private add(id: number, evidence: TsStreamEvidence): void {
    (this.ctx.facts.functions[id]!.streamEvidence ??= []).push(evidence);
  }

  /** `setInterval(…, 15_000)` (`how` with `#` for the interval as written) with the interval in ms when it is static; otherwise the evidence says so and carries no interval. */
  private evidence(call: RawCall, delay: AstNode | undefined, how: string): TsStreamEvidence {
    const value: TsValue | undefined = delay ? this.ctx.values.evaluate(delay, call.scope) : undefined;
    const written = delay ? this.ctx.tsFile.text.slice(delay.start ?? 0, delay.end ?? 0) : '';
    const shown = written.length > 40 ? `${written.slice(0, 37)}…` : written;
    if (value?.kind === 'number' && value.value > 0) return { kind: 'heartbeat', text: how.replace('#', shown), intervalMs: value.value, span: this.ctx.span(call.node) };
    const why = delay ? `interval ${shown} is not static` : 'no interval given';
    return { kind: 'heartbeat', text: `${how.replace('#', shown || '…')}: ${why}`, span: this.ctx.span(call.node) };
  }
}
