// The compose hop: a service of a compose file (no timeouts of its own; it names the code it runs).
import type { ComposeService } from '../../yaml/compose.js';
import type { FileId } from '../../types.js';
import type { Hop } from '../../chain/chain-types.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'compose-service': true;
  }
  interface HopRefs {
    compose: { kind: 'compose'; file: FileId; service: ComposeService };
  }
}

export function composeHop(file: FileId, service: ComposeService): Hop {
  return { kind: 'compose-service', label: `compose service ${service.name}`, span: service.nameSpan, timeouts: [], ref: { kind: 'compose', file, service } };
}

