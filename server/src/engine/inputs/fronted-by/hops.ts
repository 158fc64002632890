// The hop of a load balancer the configuration names (`chains.frontedBy`): the platform's timers and the keep-alive it holds to the code.
import type { Hop, HopTimeout } from '../../chain/chain-types.js';
import { CONFIG_FILE_NAME } from '../../config.js';
import type { FrontedByEntry } from './model.js';
import { PLATFORMS } from './platforms.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'fronted-by': true;
  }
  interface HopRefs {
    'fronted-by': { kind: 'fronted-by'; entry: FrontedByEntry };
  }
}

export function frontedByHop(entry: FrontedByEntry): Hop {
  const platform = PLATFORMS[entry.setting.kind]!;
  const timeouts: HopTimeout[] = [];
  // A configuration outside the workspace has no span of its own: the hop points at the file's name.
  const span = entry.span ?? { file: CONFIG_FILE_NAME, start: 0, end: 0 };
  const { idleTimeoutMs, timeoutMs } = entry.setting;
  let idle: HopTimeout | undefined;
  if (idleTimeoutMs !== undefined) {
    idle = { kind: platform.idle?.kind ?? 'idle', knob: platform.idle?.knob ?? 'idleTimeout', ms: idleTimeoutMs, text: secondsText(idleTimeoutMs), source: 'set', ...(entry.idleSpan ? { span: entry.idleSpan } : {}) };
  } else if (platform.idle?.defaultMs !== undefined) {
    idle = { kind: platform.idle.kind, knob: platform.idle.knob, ms: platform.idle.defaultMs, text: secondsText(platform.idle.defaultMs), source: 'default', factsRef: platform.idle.factsRef };
  }
  if (idle) timeouts.push(idle);
  if (timeoutMs !== undefined) {
    timeouts.push({ kind: 'total', knob: platform.timeout?.knob ?? 'timeout', ms: timeoutMs, text: secondsText(timeoutMs), source: 'set', ...(entry.timeoutSpan ? { span: entry.timeoutSpan } : {}) });
  } else if (platform.timeout?.defaultMs !== undefined) {
    timeouts.push({ kind: 'total', knob: platform.timeout.knob, ms: platform.timeout.defaultMs, text: secondsText(platform.timeout.defaultMs), source: 'default', factsRef: platform.timeout.factsRef });
  }
  const hop: Hop = { kind: 'fronted-by', label: `${platform.label} in front of ${entry.name} (chains.frontedBy)`, span, timeouts, ref: { kind: 'fronted-by', entry } };
  if (platform.keepAlive === 'idle' && idle) hop.keepAlive = { ...idle, kind: 'keepalive' };
  else if (platform.keepAlive && platform.keepAlive !== 'idle') {
    const { knob, ms, factsRef } = platform.keepAlive;
    hop.keepAlive = { kind: 'keepalive', knob, ms, text: secondsText(ms), source: 'default', factsRef };
  }
  return hop;
}

/** Seconds, as the platforms' own settings are written (`60s`). */
function secondsText(ms: number): string {
  return `${ms / 1000}s`;
}
