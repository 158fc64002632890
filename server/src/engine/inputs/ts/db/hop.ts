// The database hop of a chain: the client a route handler's queries reach, with its timeouts resolved in the chain's environment.
import type { Hop, HopTimeout } from '../../../chain/chain-types.js';
import type { DbTimeout as ResolvedDbTimeout } from './types.js';
import type { TimeoutKind } from '../../../timeout-kind.js';
import type { EnvContext } from '../../../chain/environment.js';
import { resolveDbTimeoutsWithNotes, type DbUse } from './links.js';
import type { DatabaseSettings } from '../../../database-settings.js';
import type { DbTimeout, DbTimeoutRole } from './types.js';

declare module '../../../chain/chain-types.js' {
  interface HopKinds {
    /** A database or cache client that a route handler's queries reach. */
    database: true;
  }
  interface HopRefs {
    /** The use (query and client) and the client's timeouts resolved in the chain's environment. */
    'db-client': { kind: 'db-client'; use: DbUse; timeouts: ResolvedDbTimeout[] };
  }
}

/**
 * Timeout kinds of database roles (facts §0): what ends the wait for a query is a total timer
 * (socket timers bound silence); waits before the query starts (connect, acquire, server selection)
 * are connect-like, so budgets never mistake them for the query's own bound.
 */
const KIND_BY_ROLE: Record<DbTimeoutRole, TimeoutKind> = {
  statement: 'total',
  query: 'total',
  command: 'total',
  transaction: 'total',
  socket: 'idle',
  connect: 'connect',
  acquire: 'connect',
  'server-selection': 'connect',
  buffer: 'connect',
  'transaction-wait': 'connect',
  idle: 'keepalive',
  // Waiting for a lock is a wait before the statement can go on, not a bound on the work.
  lock: 'connect',
};

/** `pg Pool pool`, `PrismaClient prisma`, `mongoose.connect`. */
export function dbClientLabel(use: Pick<DbUse, 'client'>): string {
  const { client } = use;
  const name = client.constructorName.toLowerCase().startsWith(client.library) ? client.constructorName : `${client.library} ${client.constructorName}`;
  return `${name}${client.variable ? ` ${client.variable}` : ''}`;
}

/** A database hop for one use: labelled by the client and the query, placed at the client, with every known timer. */
export function databaseHop(use: DbUse, env: EnvContext, settings: DatabaseSettings): Hop {
  const timeouts: HopTimeout[] = [];
  const { timeouts: resolved, notes } = resolveDbTimeoutsWithNotes(use.client, env, settings);
  for (const timeout of [...resolved, ...use.query.timeouts]) {
    const hopTimeout = toHopTimeout(timeout);
    if (hopTimeout) timeouts.push(hopTimeout);
  }
  const hop: Hop = {
    kind: 'database',
    label: `${dbClientLabel(use)} (${use.query.method})`,
    span: use.client.span,
    timeouts,
    ref: { kind: 'db-client', use, timeouts: resolved },
  };
  // A tagged template (`sql`…``) is its own call syntax.
  hop.evidence = [{ text: `the call ${use.query.method}${use.query.method.endsWith('`') ? '' : '()'}`, span: use.query.span }];
  if (use.via) hop.evidence.push({ text: use.via, span: use.client.span });
  // Server-side settings: the one that bounds the client's statements, or why one does not apply.
  for (const note of notes) hop.evidence.push(note.span ? { text: note.text, span: note.span } : { text: note.text });
  return hop;
}

function toHopTimeout(timeout: DbTimeout): HopTimeout | undefined {
  // No timer at all is worth showing at a database hop (pg waits forever by default): a disabled default, which budgets skip.
  if (timeout.source === 'none') return { kind: KIND_BY_ROLE[timeout.role], knob: timeout.option, text: 'none', source: 'default', disabled: true, factsRef: timeout.factsRef };
  const out: HopTimeout = {
    kind: KIND_BY_ROLE[timeout.role],
    knob: timeout.via === 'server' && timeout.serverOrigin ? timeout.serverOrigin : timeout.option,
    text: timeout.text,
    source: timeout.source === 'unknown' ? 'set' : timeout.source,
    factsRef: timeout.factsRef,
  };
  if (timeout.source === 'unknown') out.text = 'unknown';
  if (timeout.ms !== undefined) out.ms = timeout.ms;
  if (timeout.disabled) out.disabled = true;
  if (timeout.span) out.span = timeout.span;
  if (timeout.source === 'env' && timeout.envName) out.env = { name: timeout.envName, fallback: false, ...(timeout.span ? { valueSpan: timeout.span } : {}) };
  return out;
}
