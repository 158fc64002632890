// The connection to the client, and what the server does when the byte stream from the client breaks: log it and exit, so that the client restarts it.
import { format } from 'node:util';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
} from 'vscode-languageserver/node';
import { MessageTraffic } from './message-traffic.js';

/** Exit code after a broken frame or stream: non-zero, so that a client restarts the server. */
export const BROKEN_STREAM_EXIT_CODE = 1;

/**
 * Creates the connection as `createConnection(ProposedFeatures.all)` would from the command line,
 * except over `--stdio`, where the server builds its own reader to hear about framing errors.
 * vscode-jsonrpc reports a bad `Content-Length` or a body that is not JSON on the reader's
 * `onError` and then waits for more bytes; vscode-languageserver does not listen to it, so the
 * server would sit there answering nothing while the client waits. Once a frame is broken no
 * later frame boundary can be trusted, so the server logs the error on stderr and exits; editors
 * (VS Code's LanguageClient among them) restart a server that exits unexpectedly. Over node IPC
 * messages are framed by Node itself, and sockets and pipes keep the library's behaviour.
 * `traffic` tracks the messages read and answered over `--stdio` and `--node-ipc` (message-traffic.ts).
 */
export function createServerConnection(argv: readonly string[] = process.argv, traffic: MessageTraffic = new MessageTraffic()): Connection {
  const args = argv.slice(2);
  // VS Code's LanguageClient starts the server over node IPC: the same reader and writer the library would make, watched.
  if (args.includes('--node-ipc') && typeof process.send === 'function') {
    return createConnection(ProposedFeatures.all, traffic.watchReader(new IPCMessageReader(process)), traffic.watchWriter(new IPCMessageWriter(process)), traffic.connectionOptions());
  }
  if (!args.includes('--stdio')) return createConnection(ProposedFeatures.all, traffic.connectionOptions());
  const reader = traffic.watchReader(new StreamMessageReader(process.stdin));
  const writer = traffic.watchWriter(new StreamMessageWriter(process.stdout));
  reader.onError((error) => exitOnBrokenStream('reading a message from the client', error));
  writer.onError(([error]) => exitOnBrokenStream('writing a message to the client', error));
  const connection = createConnection(ProposedFeatures.all, reader, writer, traffic.connectionOptions());
  let shutdownRequested = false;
  connection.onShutdown(() => {
    shutdownRequested = true;
  });
  // What the library does for its own stdio streams: the client closing stdin ends the server.
  const ended = () => process.exit(shutdownRequested ? 0 : BROKEN_STREAM_EXIT_CODE);
  process.stdin.on('end', ended);
  process.stdin.on('close', ended);
  routeConsoleToClient(connection);
  return connection;
}

/** Logs why the stream from or to the client broke, on stderr (the client may no longer be listening), and exits. */
export function exitOnBrokenStream(what: string, error: unknown, exit: (code: number) => void = (code) => process.exit(code)): void {
  // One line, whatever the client sent.
  const message = (error instanceof Error ? error.message : String(error)).replace(/[\r\n]+/g, ' ');
  process.stderr.write(`timeout-lint: language server: broken LSP stream while ${what}: ${message}; exiting so that the client restarts the server\n`);
  exit(BROKEN_STREAM_EXIT_CODE);
}

/**
 * stdout carries the protocol, so nothing else may write there: console output goes to the
 * client's log instead (as vscode-languageserver does for its own stdio connection).
 */
function routeConsoleToClient(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(format(...args));
  console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
}
