// The behaviour suite's machinery: a slow upstream in Node, a private nginx, and a peer that answers no SYN.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/**
 * The upstream's behaviour comes from the query string: `a=hang` (never answers), `a=hdr:MS` (answers
 * after MS), `a=gap:MS1:MS2` (headers after MS1, the body MS2 later), `a=stream:GAP:N` (headers at
 * once, then N chunks GAP apart), `a=stall` (headers and one chunk, then silence). `p=` names the
 * probe, so hits are counted per probe and per upstream port.
 */
export class SlowUpstream {
  readonly ports: number[] = [];
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly hits = new Map<string, number[]>();
  /** Per probe: how long the upstream connection stayed open after the answer (nginx closing an idle pooled connection). */
  readonly idleAfterAnswer = new Map<string, Promise<number>>();

  async start(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const server = createHttpServer((req, res) => this.handle(req.url ?? '/', server, res));
      server.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.push(server);
      this.ports.push((server.address() as { port: number }).port);
    }
  }

  hitsOf(probe: string): number {
    return this.hits.get(probe)?.length ?? 0;
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private handle(url: string, server: Server, res: import('node:http').ServerResponse): void {
    const query = new URL(url, 'http://upstream').searchParams;
    const probe = query.get('p') ?? '?';
    const port = (server.address() as { port: number }).port;
    this.hits.set(probe, [...(this.hits.get(probe) ?? []), port]);
    const [action = 'hang', a = '0', b = '0'] = (query.get('a') ?? 'hang').split(':');
    if (action === 'ok') {
      const socket = res.socket!;
      this.idleAfterAnswer.set(probe, new Promise((resolve) => {
        res.end('ok', () => {
          const answeredAt = performance.now();
          socket.once('close', () => resolve(performance.now() - answeredAt));
        });
      }));
    } else if (action === 'hdr') this.later(Number(a), () => res.end('ok'));
    else if (action === 'gap') {
      this.later(Number(a), () => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('x');
        this.later(Number(b), () => res.end('y'));
      });
    } else if (action === 'stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      let sent = 0;
      const tick = () => {
        res.write(`data: ${sent}\n\n`);
        sent++;
        if (sent >= Number(b)) res.end();
        else this.later(Number(a), tick);
      };
      tick();
    } else if (action === 'stall') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: first\n\n');
    }
    // hang: nothing at all.
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Free TCP ports on 127.0.0.1, found by binding port 0 (closed again before nginx binds them). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createNetServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports.push((server.address() as { port: number }).port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return ports;
}

/** An nginx in the foreground (`daemon off; master_process off`) with a private prefix; always stopped by `stop()`. */
export class PrivateNginx {
  readonly dir = mkdtempSync(join(tmpdir(), 'timeout-lint-behaviour-'));
  private process: ChildProcess | undefined;
  stderr = '';

  write(files: Record<string, string>): void {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, file)), { recursive: true });
      writeFileSync(join(this.dir, file), text);
    }
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    mkdirSync(join(this.dir, 'empty'), { recursive: true });
    // A file far larger than the socket buffers, for a client that stops reading.
    mkdirSync(join(this.dir, 'big/big'), { recursive: true });
    writeFileSync(join(this.dir, 'big/big/file.bin'), Buffer.alloc(32 * 1024 * 1024));
  }

  /** The access log line of a probe (`log_format probes`): request time in ms, status, body bytes sent. */
  logged(probe: string): { ms: number; status: number; bytes: number } | undefined {
    const text = readFileSync(join(this.dir, 'logs/probes.log'), 'utf8');
    const line = text.split('\n').find((l) => l.startsWith(`${probe} `));
    if (!line) return undefined;
    const [, seconds, status, bytes] = line.split(' ');
    return { ms: Number(seconds) * 1000, status: Number(status), bytes: Number(bytes) };
  }

  /** Temp paths are compiled in as /var/lib/nginx/…; the suite points them into its own folder. */
  tempPaths(): string {
    return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(this.dir, t)};`).join(' ');
  }

  /** `nginx -t` output, for a message when the configuration does not load. */
  check(): string {
    const run = spawnSync(NGINX!, this.args(['-t']), { encoding: 'utf8' });
    return run.status === 0 ? '' : `${run.stdout}${run.stderr}`;
  }

  async start(port: number): Promise<void> {
    this.process = spawn(NGINX!, this.args([]), { stdio: ['ignore', 'ignore', 'pipe'] });
    // Also when the test process ends without running afterAll (a worker killed on timeout).
    const child = this.process;
    process.once('exit', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    this.process.stderr?.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`nginx exited: ${this.stderr}`);
      if (await canConnect(port)) return;
      await sleep(50);
    }
    throw new Error(`nginx did not listen on ${port}: ${this.stderr}`);
  }

  /** Stops the process (SIGSTOP): it keeps its listening socket but accepts nothing. `stop()` still ends it. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  stop(): void {
    if (this.process?.pid !== undefined && this.process.exitCode === null) this.process.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private args(extra: string[]): string[] {
    return [...extra, '-p', this.dir, '-c', join(this.dir, 'nginx.conf'), '-e', join(this.dir, 'logs/error.log'),
      '-g', `daemon off; master_process off; pid ${join(this.dir, 'nginx.pid')}; error_log ${join(this.dir, 'logs/error.log')} info;`];
  }
}

/**
 * A port whose SYNs go unanswered, for connect timeouts on loopback: a second nginx listens with
 * `backlog=1`, is stopped (SIGSTOP, so it accepts nothing), and two connections fill its accept
 * queue; Linux then drops every further SYN, as a silent peer would.
 */
export class Blackhole {
  private nginx: PrivateNginx | undefined;
  private readonly fillers: Socket[] = [];
  port = 0;

  async start(): Promise<void> {
    this.nginx = new PrivateNginx();
    this.port = (await freePorts(1))[0]!;
    this.nginx.write({ 'nginx.conf': `events {}\nhttp {\n    access_log off;\n    ${this.nginx.tempPaths()}\n    server { listen 127.0.0.1:${this.port} backlog=1; return 200; }\n}\n` });
    await this.nginx.start(this.port);
    this.nginx.pause();
    for (let i = 0; i < 3; i++) {
      const socket = connect(this.port, '127.0.0.1');
      socket.on('error', () => undefined);
      this.fillers.push(socket);
    }
    await sleep(300);
  }

  stop(): void {
    for (const socket of this.fillers) socket.destroy();
    this.nginx?.stop();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
