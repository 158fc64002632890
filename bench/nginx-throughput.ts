// Measures nginx parser throughput (MB/s) on a large generated config with includes; run with `npm run bench:nginx`.
import { performance } from 'node:perf_hooks';
import type { NginxConfig, NginxNode } from '../server/src/engine/inputs/nginx/ast.js';
import { NginxLexer } from '../server/src/engine/inputs/nginx/lexer.js';
import { parseNginxConfig } from '../server/src/engine/inputs/nginx/parser.js';
import { TOKEN_EOF } from '../server/src/engine/inputs/nginx/tokens.js';
import { MemoryFs } from '../server/src/engine/workspace-fs.js';

const SITE_FILES = 200;
const SERVERS_PER_FILE = 4;
const LOCATIONS_PER_SERVER = 6;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** A small deterministic PRNG, so every run parses the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generateWorkspace(): { fs: MemoryFs; bytes: number; files: number } {
  const rand = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const files: Record<string, string> = {};
  files['nginx.conf'] = [
    '# generated for the throughput benchmark',
    'user nginx;',
    'worker_processes auto;',
    'events { worker_connections 4096; }',
    'http {',
    '    include mime.types;',
    "    log_format main '$remote_addr - $remote_user [$time_local] \"$request\" $status';",
    '    proxy_read_timeout 60s;',
    '    include snippets/*.conf;',
    '    include conf.d/*.conf;',
    '}',
    '',
  ].join('\n');
  files['mime.types'] = `types {\n${Array.from({ length: 300 }, (_, i) => `    application/x-type-${i} ext${i} e${i}x;`).join('\n')}\n}\n`;
  files['snippets/proxy.conf'] = [
    'proxy_set_header Host $host;',
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_http_version 1.1;',
    '',
  ].join('\n');
  const timeouts = ['5s', '30s', '60s', '120s', '300s', '1m', '2m', '750ms'];
  for (let f = 0; f < SITE_FILES; f++) {
    const lines: string[] = [`# site ${f}: upstreams and servers`];
    lines.push(`upstream backend_${f} {`, `    server 10.0.${f % 250}.1:8080 max_fails=3 fail_timeout=30s;`,
      `    server 10.0.${f % 250}.2:8080 backup;`, '    keepalive 32;', '}');
    for (let s = 0; s < SERVERS_PER_FILE; s++) {
      lines.push('server {', `    listen 443 ssl;`, `    server_name "site-${f}-${s}.example.com" www.site-${f}-${s}.example.com;`,
        `    ssl_certificate /etc/ssl/site-${f}.pem;`, '    client_body_timeout 30s;', '    include snippets/proxy.conf;');
      for (let l = 0; l < LOCATIONS_PER_SERVER; l++) {
        lines.push(
          `    location ${pick(['/', '/api/', '/static/', '~ ^/v[0-9]+/', '= /health', '/llm/'])}${l} {`,
          `        # route ${l}: keep the gateway above the service timeout`,
          `        proxy_pass http://backend_${f};`,
          `        proxy_connect_timeout ${pick(timeouts)};`,
          `        proxy_send_timeout ${pick(timeouts)};`,
          `        proxy_read_timeout ${pick(timeouts)};  # seconds unless a unit is given`,
          `        proxy_set_header X-Request-Id "$request_id";`,
          `        add_header Cache-Control 'no-store, max-age=0' always;`,
          `        if ($http_x_debug = "1") { return 418 "debug route ${f}-${s}-${l}"; }`,
          '    }',
        );
      }
      lines.push('}');
    }
    files[`conf.d/site-${String(f).padStart(3, '0')}.conf`] = `${lines.join('\n')}\n`;
  }
  const fs = new MemoryFs(files);
  const bytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  return { fs, bytes, files: Object.keys(files).length };
}

function countLocations(config: NginxConfig): number {
  let count = 0;
  const walk = (nodes: NginxNode[]): void => {
    for (const node of nodes) {
      if (node.type !== 'directive') continue;
      if (node.name === 'location') count++;
      if (node.block) walk(node.block);
    }
  };
  for (const file of config.files) walk(file.nodes);
  return count;
}

/** Median wall time of `RUNS` calls, after three warm-up calls. */
function medianMs(run: () => void): { median: number; best: number } {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

function main(): void {
  const { fs, bytes, files } = generateWorkspace();
  const megabytes = bytes / 1024 / 1024;
  const rate = (ms: number) => (megabytes / (ms / 1000)).toFixed(1);
  const config = parseNginxConfig(fs, 'nginx.conf');
  if (config.files.length !== files || config.problems.length > 0) {
    throw new Error(`benchmark config did not parse cleanly: ${config.files.length} files, ${config.problems.length} problems`);
  }
  const texts = config.files.map((f) => f.text);
  console.log(`nginx parser: ${megabytes.toFixed(2)} MB in ${files} files, ${countLocations(config)} locations`);

  // Each run's config is dropped right away, so runs do not keep each other's trees alive.
  let sink = 0;
  const full = medianMs(() => {
    sink += parseNginxConfig(fs, 'nginx.conf').files.length;
  });
  if (sink === 0) throw new Error('nothing parsed');
  console.log(`parseNginxConfig (read, decode, tokens, tree, includes): median of ${RUNS} runs ${full.median.toFixed(1)} ms → ${rate(full.median)} MB/s (best ${rate(full.best)} MB/s)`);

  // The tokenizer alone, to show how much of the time goes into building the tree (mostly
  // allocation and garbage collection of span objects) rather than into scanning text.
  const lexOnly = medianMs(() => {
    for (const text of texts) {
      const lexer = new NginxLexer(text, false, () => undefined);
      while (lexer.next() !== TOKEN_EOF);
    }
  });
  console.log(`tokenizer alone: median ${lexOnly.median.toFixed(1)} ms → ${rate(lexOnly.median)} MB/s`);
}

main();
