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
      for (const file of listFilesRecursively(fixture.dir, (f) => f === 'fixed' || f.startsWith('fixed/'))) {
        const target = path.join(workdir, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, result.changed.get(file) ?? fs.readFileSync(path.join(fixture.dir, file)));
      }
      const output = nginxTest(workdir, entryOf(workdir));
      expect(output.status, output.text).toBe(0);
    } finally {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });
});

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
