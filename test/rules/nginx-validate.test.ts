// Every nginx file a fix produces must pass `nginx -t` with the real Debian nginx.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixFixture, fixtureCases } from '../helpers/fixture-cases.js';
import { listFilesRecursively } from '../helpers/fixture-fs.js';

const nginxBinary = findNginx();
const fixable = fixtureCases().filter((c) => fs.existsSync(path.join(c.dir, 'fixed')));

if (!nginxBinary) {
  console.warn('SKIPPED: nginx -t checks, because no nginx binary is installed (CI installs the Debian nginx package).');
}

describe.skipIf(!nginxBinary).each(fixable)('nginx -t on the fixed output of $ruleId/$name', (fixture) => {
  it('is accepted by nginx', () => {
    const result = fixFixture(fixture.dir);
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-nginx-t-'));
    try {
      const files = listFilesRecursively(fixture.dir, (f) => f === 'fixed' || f.startsWith('fixed/'));
      const texts = new Map(files.map((file) => [file, result.changed.get(file) ?? fs.readFileSync(path.join(fixture.dir, file), 'utf8')]));
      const upstreams = new Set([...texts.values()].flatMap((text) => [...text.matchAll(/^\s*upstream\s+(\S+)\s*\{/gm)].map((m) => m[1]!)));
      for (const [file, text] of texts) {
        const target = path.join(workdir, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.endsWith('.conf') ? offlineHosts(text, upstreams) : text);
      }
      const output = nginxTest(workdir, entryOf(workdir));
      expect(output.status, output.text).toBe(0);
    } finally {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });
});

/**
 * Chain fixtures proxy to cluster DNS names (`chat-api.default.svc.cluster.local`) that do not
 * resolve here, and `nginx -t` resolves upstream hosts. Only those host names become 127.0.0.1;
 * every directive and argument the fixes wrote stays as it is.
 */
function offlineHosts(text: string, upstreams: ReadonlySet<string>): string {
  const offline = (host: string) => (upstreams.has(host) || host === 'localhost' || /^[\d.]+$|^\[/.test(host) || host.includes('$') ? host : '127.0.0.1');
  return text
    .replace(/^(\s*server\s+)([A-Za-z][\w.-]*)(:\d+)?/gm, (whole, lead: string, host: string, port = '') => (/^\s*server\s+\{/.test(whole) ? whole : `${lead}${offline(host)}${port}`))
    .replace(/(proxy_pass\s+https?:\/\/)([A-Za-z][\w.-]*)/g, (_whole, lead: string, host: string) => `${lead}${offline(host)}`);
}

/** A full config is tested as is; a fragment is wrapped in the context it is written for. */
function entryOf(workdir: string): string {
  const main = path.join(workdir, 'nginx.conf');
  if (fs.existsSync(main) && /^\s*events\b/m.test(fs.readFileSync(main, 'utf8'))) return main;
  const fragments = listFilesRecursively(workdir).filter((f) => f.endsWith('.conf'));
  const wrapper = path.join(workdir, 'wrapper.conf');
  fs.writeFileSync(wrapper, `events {}\nhttp {\n${fragments.map((f) => `    include ${path.join(workdir, f)};`).join('\n')}\n}\n`);
  return wrapper;
}

function nginxTest(workdir: string, entry: string): { status: number | null; text: string } {
  fs.mkdirSync(path.join(workdir, 'logs'), { recursive: true });
  const run = spawnSync(nginxBinary!, ['-t', '-q', '-p', workdir, '-c', entry, '-g', `pid ${path.join(workdir, 'nginx.pid')};`], { encoding: 'utf8' });
  return { status: run.status, text: `${run.stdout}${run.stderr}` };
}

function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
