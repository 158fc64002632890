// The lint loop waits between units until the client messages read so far are dispatched and answered (message-traffic.ts).
import { describe, expect, it } from 'vitest';
import type { DataCallback, Message, MessageReader, MessageWriter, RequestMessage, ResponseMessage } from 'vscode-languageserver/node';
import { MessageTraffic } from '../../server/src/lsp/message-traffic.js';

function fakeReader(): { reader: MessageReader; deliver: (message: Message) => void } {
  let callback: DataCallback = () => undefined;
  const reader = { listen: (cb: DataCallback) => ((callback = cb), { dispose: () => undefined }) } as unknown as MessageReader;
  return { reader, deliver: (message) => callback(message) };
}

function fakeWriter(): { writer: MessageWriter; finish: () => void } {
  const pending: Array<() => void> = [];
  const writer = { write: () => new Promise<void>((resolve) => pending.push(resolve)) } as unknown as MessageWriter;
  return { writer, finish: () => pending.splice(0).forEach((resolve) => resolve()) };
}

const hover: RequestMessage = { jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: {} };
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('MessageTraffic', () => {
  it('settles at once (after its few turns) when nothing was read', async () => {
    const traffic = new MessageTraffic();
    expect(traffic.settled).toBe(true);
    await traffic.settle();
  });

  it('waits for a message read but not yet dispatched, then for the answer to be written', async () => {
    const traffic = new MessageTraffic();
    const { reader, deliver } = fakeReader();
    const { writer, finish } = fakeWriter();
    traffic.watchReader(reader).listen(() => undefined);
    traffic.watchWriter(writer);
    deliver(hover);
    expect(traffic.settled).toBe(false);
    let settled = false;
    void traffic.settle().then(() => (settled = true));
    for (let i = 0; i < 10; i++) await turn();
    expect(settled).toBe(false);
    // The connection dispatches it; the handler answers.
    traffic.connectionOptions().messageStrategy!.handleMessage(hover, () => void writer.write({ jsonrpc: '2.0', id: 1, result: null } as ResponseMessage));
    for (let i = 0; i < 10; i++) await turn();
    expect(settled).toBe(false);
    finish();
    for (let i = 0; i < 10; i++) await turn();
    expect(settled).toBe(true);
  });

  it('does not wait for a $/cancelRequest, which the connection never dispatches as a message', async () => {
    const traffic = new MessageTraffic();
    const { reader, deliver } = fakeReader();
    traffic.watchReader(reader).listen(() => undefined);
    deliver({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } } as Message);
    expect(traffic.settled).toBe(true);
  });

  it('a cancel the connection dispatches (its request already running) does not hide another message still pending', () => {
    const traffic = new MessageTraffic();
    const { reader, deliver } = fakeReader();
    traffic.watchReader(reader).listen(() => undefined);
    const cancel = { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 7 } } as Message;
    deliver(cancel);
    deliver(hover);
    const strategy = traffic.connectionOptions().messageStrategy!;
    for (let i = 0; i < 3; i++) strategy.handleMessage(cancel, () => undefined);
    expect(traffic.settled).toBe(false);
    strategy.handleMessage(hover, () => undefined);
    expect(traffic.settled).toBe(true);
  });

  it('counts a request answered by a cancel before dispatch as handled', () => {
    const traffic = new MessageTraffic();
    const { reader, deliver } = fakeReader();
    traffic.watchReader(reader).listen(() => undefined);
    deliver(hover);
    const answer = traffic.connectionOptions().connectionStrategy!.cancelUndispatched!(hover, () => ({ jsonrpc: '2.0', id: 1, error: { code: -32800, message: 'cancelled' } }));
    expect(answer?.error?.code).toBe(-32800);
    expect(traffic.settled).toBe(true);
  });

  it('gives up waiting after a bounded number of turns and counts afresh, so a miscount never stalls the loop', async () => {
    const traffic = new MessageTraffic();
    const { reader, deliver } = fakeReader();
    traffic.watchReader(reader).listen(() => undefined);
    deliver(hover);
    await traffic.settle();
    expect(traffic.settled).toBe(true);
  });
});
