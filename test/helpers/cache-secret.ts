// The CLI cache signs its files with a per-user secret kept under XDG_CACHE_HOME: tests that use the
// cache get a temporary home of their own, so they never read or create the real user's secret.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Points XDG_CACHE_HOME at a fresh temporary folder for the calling test file; returns a getter for it. */
export function useTemporaryCacheSecretHome(): () => string {
  let secretHome = '';
  let previousXdg: string | undefined;
  beforeAll(() => {
    secretHome = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-secret-')));
    previousXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = secretHome;
  });
  afterAll(() => {
    if (previousXdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousXdg;
    fs.rmSync(secretHome, { recursive: true, force: true });
  });
  return () => secretHome;
}
