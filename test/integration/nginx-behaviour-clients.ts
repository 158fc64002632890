// The behaviour suite's clients: each sends one kind of request to nginx and times what nginx does with it.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  /** HTTP status, or 0 when the connection closed without a response. */
  status: number;
  /** From the request being sent to the response ending (or the connection closing). */
  ms: number;
  bodyBytes: number;
  /** True when the body ended early (the connection closed mid-body). */
  truncated: boolean;
}

/**
 * One request with a fresh connection; resolves when the response ends or the connection closes.
 * The time counts from the last byte of the request handed to the kernel (so a busy event loop
 * before sending does not count), until the response ends.
 */
export function ask(port: number, host: string, path: string, method = 'GET', body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    let started = performance.now();
    let settled = false;
    const done = (answer: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, ms: performance.now() - started });
    };
    const headers: Record<string, string> = { Host: host };
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => done({ status: res.statusCode ?? 0, bodyBytes: bytes, truncated: !res.complete }));
      res.on('aborted', () => done({ status: res.statusCode ?? 0, bodyBytes: bytes, truncated: true }));
      res.on('error', () => done({ status: res.statusCode ?? 0, bodyBytes: bytes, truncated: true }));
    });
    req.on('error', () => done({ status: 0, bodyBytes: 0, truncated: true }));
    req.end(body, () => {
      started = performance.now();
    });
  });
}

/**
 * Writes `text` on a raw connection and resolves when nginx closes it: the time from the last byte
 * written, and whatever nginx answered (nothing when a client timeout closes the connection).
 */
export function stallAndWaitForClose(port: number, text: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve) => {
    let answer = '';
    let started = 0;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text, () => { started = performance.now(); });
    });
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString(); });
    socket.on('close', () => resolve({ ms: performance.now() - started, answer }));
    socket.on('error', () => undefined);
  });
}

/**
 * Sends a request and stops reading the answer, so nginx's writes stall; waits `holdMs`, then
 * hangs up. What nginx did is read from its access log afterwards.
 */
export function requestWithoutReading(port: number, host: string, path: string, holdMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      socket.pause();
    });
    socket.on('error', () => undefined);
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, holdMs);
  });
}

/** Sends one keep-alive request and times how long nginx keeps the idle connection open after answering. */
export function keepAliveIdle(port: number, host: string, path: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve) => {
    let answer = '';
    let answeredAt = 0;
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (!answeredAt && answer.includes('\r\n\r\n')) answeredAt = performance.now();
    });
    socket.on('close', () => resolve({ ms: performance.now() - answeredAt, status: Number(/^HTTP\/1\.\d (\d+)/.exec(answer)?.[1] ?? 0) }));
    socket.on('error', () => undefined);
  });
}
