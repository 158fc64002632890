// Which client messages the server has read but not yet handled and answered, so that the lint loop starts its next unit only once they are out.
import type { ConnectionOptions, Message, MessageReader, MessageWriter } from 'vscode-languageserver/node';

/** The most event-loop turns one wait gives the traffic; past it, the counts are taken as settled (a miscount never stalls linting). */
const MAX_TURNS = 200;
/** The fewest turns one wait gives: what a message that arrives during the wait needs to be read, decoded, dispatched and answered. */
const MIN_TURNS = 4;

/**
 * lint() is synchronous, so a request that arrives while a unit runs is answered only between
 * units. vscode-jsonrpc takes a message through several turns of the event loop (read, decode on a
 * setImmediate of its semaphore, dispatch on another, then the answer's write on a third), so a
 * fixed number of turns between units is a guess that a message split across two reads, or a
 * busy machine, defeats: the answer then waits for a whole further unit. This tracks instead the
 * messages read (the reader) and not yet dispatched (the connection's message strategy) or
 * answered before dispatch (a cancel), and the writes not yet handed to the stream; the loop waits
 * until all are settled. Over stdio and node IPC (what VS Code uses) the server builds the reader
 * and writer itself (transport.ts); over a socket or pipe nothing is read here and the wait is the
 * few turns alone.
 */
export class MessageTraffic {
  /** Messages read and not yet dispatched (or answered before dispatch). Objects, not counts: a message settled twice cannot drift the tally. */
  private readonly pending = new Set<Message>();
  private writing = 0;

  /** Records every message `reader` delivers; `$/cancelRequest` may never be dispatched as such, so it is not waited for. */
  watchReader(reader: MessageReader): MessageReader {
    const listen = reader.listen.bind(reader);
    reader.listen = (callback) =>
      listen((message: Message) => {
        if (!isCancel(message)) this.pending.add(message);
        callback(message);
      });
    return reader;
  }

  /** Counts the writes in flight on `writer` (answers and notifications) until the stream has taken them. */
  watchWriter(writer: MessageWriter): MessageWriter {
    const write = writer.write.bind(writer);
    writer.write = (message: Message) => {
      this.writing++;
      const done = () => {
        this.writing--;
      };
      const written = write(message);
      written.then(done, done);
      return written;
    };
    return writer;
  }

  /** The connection options that count what the connection dispatches, and the requests a cancel removed before dispatch. */
  connectionOptions(): ConnectionOptions {
    return {
      messageStrategy: {
        handleMessage: (message, next) => {
          this.pending.delete(message);
          return next(message);
        },
      },
      connectionStrategy: {
        cancelUndispatched: (message, next) => {
          const response = next(message);
          // Answered here, the request leaves the queue undispatched.
          if (response && (response.error !== undefined || response.result !== undefined)) this.pending.delete(message);
          return response;
        },
      },
    };
  }

  /** True when every message read has been dispatched and every write handed to the stream. */
  get settled(): boolean {
    return this.pending.size === 0 && this.writing === 0;
  }

  /**
   * Resolves after at least a few turns of the event loop, once the traffic is settled. An async
   * handler (one that waits for a fresh lint) counts as dispatched: the loop must go on for it.
   */
  settle(): Promise<void> {
    return new Promise((resolve) => {
      const next = (turn: number) => {
        if (turn >= MIN_TURNS && this.settled) return resolve();
        if (turn >= MAX_TURNS) {
          // A message the library never dispatches (dropped on a broken connection): forget it rather than wait for it again.
          this.pending.clear();
          return resolve();
        }
        setImmediate(() => next(turn + 1));
      };
      next(0);
    });
  }
}

function isCancel(message: Message): boolean {
  return (message as { method?: unknown }).method === '$/cancelRequest' && (message as { id?: unknown }).id === undefined;
}
