// `chains --format text`: one block per chain, one line per hop and per timer, each value with where it comes from.
import type { Chain, ChainModel, Hop, HopTimeout } from '../../../engine/chain/chain-types.js';
import { spokenDuration } from '../../../engine/chain/budget.js';
import { printable } from '../escape.js';
import {
  attemptsWords, budgetsOf, ChainLocator, flagsOf, giveUpWords, mayTakeWords, plural, runtimeLine, sourceWords, valueWords, type ChainFormatOptions, type ChainSources, type HopBudget,
} from '../../../engine/chain/describe.js';

const HOP_INDENT = '  ';
const DETAIL_INDENT = '       ';

/**
 * Renders every chain, then where chains stop, then a summary line:
 *
 * ```text
 * chain 1: nginx location /api/ → … → openai chat.completions.create call (6 hops)
 *   1. nginx location /api/  nginx/nginx.conf:5
 *        proxy_read_timeout 60 s (nginx default, timeout-facts §1.3)
 *        gives up after 60 s (proxy_read_timeout)
 * ```
 */
export function formatChainsText(chains: ChainModel, model: ChainSources, options: ChainFormatOptions = {}): string {
  const locator = new ChainLocator(model, options.cwdPrefix);
  const blocks = chains.chains.map((chain, index) => chainBlock(chain, index + 1, locator));
  const lines: string[] = [];
  if (blocks.length === 0) lines.push('no chains found', '');
  for (const block of blocks) lines.push(...block, '');
  if (chains.unresolved.length > 0) {
    lines.push('where chains stop:');
    for (const link of chains.unresolved) lines.push(`${HOP_INDENT}${link.from}: ${link.message} (${locator.where(link.span)})`);
    lines.push('');
  }
  lines.push(`${plural(chains.chains.length, 'chain')} linked, ${plural(chains.unresolved.length, 'link')} unresolved`);
  // Labels, places and messages quote workspace names (hosts, paths, file names): every line is
  // made printable on its own, so none can break into a new line or carry terminal escapes.
  return `${lines.map(printable).join('\n')}\n`;
}

function chainBlock(chain: Chain, number: number, locator: ChainLocator): string[] {
  const lines = [`chain ${number}: ${headline(chain)} (${plural(chain.hops.length, 'hop')})`];
  const budgets = budgetsOf(chain);
  chain.hops.forEach((hop, index) => lines.push(...hopLines(hop, index + 1, budgets[index]!, locator)));
  if (chain.unresolved) lines.push(`${HOP_INDENT}stops: ${chain.unresolved.message} (${locator.where(chain.unresolved.span)})`);
  return lines;
}

/** First and last hop; the hops in between are listed below the header. */
function headline(chain: Chain): string {
  const labels = chain.hops.map((hop) => hop.label);
  return labels.length <= 3 ? labels.join(' → ') : `${labels[0]} → … → ${labels[labels.length - 1]}`;
}

function hopLines(hop: Hop, number: number, budget: HopBudget, locator: ChainLocator): string[] {
  const flags = flagsOf(hop);
  const lines = [`${HOP_INDENT}${number}. ${hop.label}  ${locator.where(hop.span)}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}`];
  const details: string[] = [];
  for (const timeout of hop.timeouts) details.push(timeoutLine(hop, timeout, locator));
  if (hop.attempts) details.push(attemptsWords(hop, hop.attempts, locator));
  if (hop.timeouts.length === 0) details.push(hop.timeoutsUnknown ? `timeouts not known: ${hop.timeoutsUnknown.text}${hop.timeoutsUnknown.span ? ` at ${locator.where(hop.timeoutsUnknown.span)}` : ''}` : 'no timeout of its own');
  if (hop.llmEvidence) details.push(`an LLM request: ${hop.llmEvidence.text}`);
  const runtime = runtimeLine(hop);
  if (runtime) details.push(runtime);
  if (hop.keepAlive) details.push(`keep-alive ${hop.keepAlive.knob} ${valueWords(hop.keepAlive)} (${sourceWords(hop, hop.keepAlive, locator)})`);
  if (budget.giveUp) details.push(giveUpWords(budget.giveUp));
  if (budget.mayTake) details.push(mayTakeWords(budget.mayTake));
  for (const line of streamLines(hop, locator)) details.push(line);
  const socket = webSocketLine(hop, locator);
  if (socket) details.push(socket);
  for (const evidence of hop.evidence ?? []) details.push(`linked by ${evidence.text}${evidence.span ? ` at ${locator.where(evidence.span)}` : ''}`);
  for (const detail of details) lines.push(`${DETAIL_INDENT}${detail}`);
  return lines;
}

/** A route handler's streaming evidence; `buffering off in code` says why nginx buffering is not reported. */
function streamLines(hop: Hop, locator: ChainLocator): string[] {
  const stream = hop.stream;
  if (!stream) return [];
  return [
    ...stream.streams.map((e) => `streams: ${e.text} at ${locator.where(e.span!)}`),
    ...stream.noBuffering.map((e) => `buffering off in code (proxy buffering not reported): ${e.text} at ${locator.where(e.span!)}`),
    ...stream.unknown.map((e) => `streaming unknown: ${e.text} at ${locator.where(e.span!)}`),
    ...(stream.sse.length > 0 ? stream.heartbeats.map((e) => `heartbeat ${e.intervalMs !== undefined ? `every ${spokenDuration(e.intervalMs)}` : 'interval unknown'}: ${e.text} at ${locator.where(e.span!)}`) : []),
    ...(stream.sse.length > 0 && stream.heartbeats.length === 0 ? ['heartbeat: none found (an idle event stream writes nothing)'] : []),
  ];
}

/** A websocket server's keep-alive: socket.io's engine pings (as set or by default), ws only when the code does. */
function webSocketLine(hop: Hop, locator: ChainLocator): string | undefined {
  if (hop.ref.kind !== 'ts-websocket') return undefined;
  const server = hop.ref.server;
  if (server.library === 'ws') return 'pings: only the code\'s own timers (ws sends none by itself)';
  const words = (t: typeof server.pingInterval, name: string) => !t ? `${name} unknown` : t.ms === undefined ? `${name} not static` : `${name} ${spokenDuration(t.ms)} (${t.source === 'default' ? 'engine.io default' : t.span ? `set at ${locator.where(t.span)}` : 'set'})`;
  return `pings every ${words(server.pingInterval, 'pingInterval')}, pong within ${words(server.pingTimeout, 'pingTimeout')}`;
}

/** `timeout 600 s × 3 attempts (openai default, timeout-facts §13)`: the attempts multiply only timers that restart per attempt. */
function timeoutLine(hop: Hop, timeout: HopTimeout, locator: ChainLocator): string {
  const attempts = hop.attempts && hop.attempts.retriesTimeouts && hop.attempts.count > 1 && (timeout.perAttempt || timeout.kind !== 'total') ? ` × ${hop.attempts.count} attempts` : '';
  return `${timeout.knob} ${valueWords(timeout)}${attempts} (${sourceWords(hop, timeout, locator)})`;
}
