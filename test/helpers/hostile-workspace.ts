// Temporary workspaces for the hostile-I/O tests: files, symlinks and an outside folder that must stay untouched.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../../server/src/cli/main.js';

export interface Sandbox {
  /** The workspace root. */
  root: string;
  /** A folder beside it that no run may read, write or delete in. */
  outside: string;
  /** Writes files under the root (string or bytes). */
  write(files: Record<string, string | Uint8Array>): void;
  /** Creates a symlink at `file` (under the root) pointing at `target` (as given). */
  link(file: string, target: string): void;
  run(args: string[]): { status: number; stdout: string; stderr: string };
  remove(): void;
}

export function makeSandbox(prefix = 'timeout-lint-hostile-'): Sandbox {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  return {
    root,
    outside,
    write(files) {
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
      }
    },
    link(file, target) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.symlinkSync(target, path.join(root, file));
    },
    run(args) {
      let stdout = '';
      let stderr = '';
      const status = runCli(args, { cwd: root, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
      return { status, stdout, stderr };
    },
    remove() {
      // Read-only files do not stop a recursive removal of their folder.
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Every file under a folder with the sha256 of its bytes (symlinks as "-> target"), to prove nothing changed. */
export function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const key = path.relative(folder, full);
      if (entry.isSymbolicLink()) out[key] = `-> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) out[key] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
      else out[key] = 'special';
    }
  };
  visit(folder);
  return out;
}

/** An Ingress whose annotation "2m" ingress-nginx ignores; --fix rewrites the value to "120" and nothing else. */
export const FIXABLE_INGRESS = [
  'apiVersion: networking.k8s.io/v1',
  'kind: Ingress',
  'metadata:',
  '  name: reports',
  '  annotations:',
  '    nginx.ingress.kubernetes.io/proxy-read-timeout: "2m"',
  'spec:',
  '  ingressClassName: nginx',
  '  rules:',
  '    - http:',
  '        paths:',
  '          - path: /reports',
  '            pathType: Prefix',
  '            backend:',
  '              service:',
  '                name: reports',
  '                port:',
  '                  number: 8080',
  '',
].join('\n');

/** Uses a temporary XDG_CACHE_HOME for the cache's signing secret while `body` runs. */
export function withSecretHome<T>(home: string, body: () => T): T {
  const previous = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = home;
  try {
    return body();
  } finally {
    if (previous === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previous;
  }
}

/** A sandbox maker for one test file: each sandbox it makes is removed after its test. */
export function useSandboxes(setup: (s: Sandbox) => void = () => {}): () => Sandbox {
  const sandboxes: Sandbox[] = [];
  afterEach(() => {
    for (const s of sandboxes.splice(0)) s.remove();
  });
  return () => {
    const s = makeSandbox();
    sandboxes.push(s);
    setup(s);
    return s;
  };
}
