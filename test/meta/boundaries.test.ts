// Enforces the architecture's import boundaries: the engine knows nothing of VS Code, LSP, the disk or the console.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFilesRecursively } from '../helpers/fixture-fs.js';

const ROOT = path.resolve(__dirname, '../..');

function sourcesUnder(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!fs.existsSync(absolute)) return [];
  // test/e2e has its own node_modules (code-server): never walk installed packages.
  return listFilesRecursively(absolute, (f) => /(^|\/)node_modules$/.test(f)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
}

const importsOf = (file: string) =>
  [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/(?:from\s+|import\s*\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('import boundaries', () => {
  const engine = [...sourcesUnder('server/src/engine'), ...sourcesUnder('rules')];

  it.each(engine)('%s imports no vscode, LSP, fs, child_process or network module', (file) => {
    const forbidden = importsOf(file).filter((m) => /^(vscode|vscode-languageserver.*|vscode-languageclient.*|(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads))$/.test(m));
    expect(forbidden).toEqual([]);
  });

  it.each(engine)('%s never writes to the console or exits the process', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).not.toMatch(/\bconsole\.|process\.(exit|stdout|stderr)|process\.exitCode/);
  });

  it('runs no workspace code, so untrusted workspaces are declared supported', () => {
    const shipped = ['server/src', 'rules', 'client/src'].flatMap(sourcesUnder);
    // Worker threads run the CLI's own bundle (per-file work computed ahead, host/ahead-of-time.ts),
    // never a workspace script: only these two files may start or be one, and the script is the bundle itself.
    const ownBundleWorkers = new Set(['server/src/cli/bin.ts', 'server/src/host/ahead-of-time.ts']);
    // `vm` compiles the CLI's own bundle from V8's code cache (cli/code-cache.ts), and nothing else.
    const ownBundleCompiler = 'server/src/cli/code-cache.ts';
    const offenders = shipped.filter((f) => {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      const forbidden = ownBundleWorkers.has(f) ? /^(node:)?(child_process|vm)$/ : f === ownBundleCompiler ? /^(node:)?(child_process|worker_threads)$/ : /^(node:)?(child_process|vm|worker_threads)$/;
      return importsOf(f).some((m) => forbidden.test(m)) || /\beval\(|new Function\(/.test(text);
    });
    expect(offenders).toEqual([]);
    const starter = fs.readFileSync(path.join(ROOT, 'server/src/host/ahead-of-time.ts'), 'utf8');
    expect(starter.match(/new Worker\(([^,]+),/g)).toEqual(['new Worker(options.workerScript,']);
    const scripts = shipped.flatMap((f) => [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/aheadWorkerScript: ([^,\n]+)/g)].map((m) => `${f}: ${m[1]}`));
    expect(scripts).toEqual(['server/src/cli/bin.ts: __filename']);
    // The bundle it compiles is the one beside the launcher (or, in the build step, the one just built).
    const compilers = shipped.filter((f) => f !== ownBundleCompiler && /\bcompileBundle\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(compilers).toEqual(['server/src/build/code-cache-build.ts', 'server/src/cli/launcher.ts']);
    const launcher = fs.readFileSync(path.join(ROOT, 'server/src/cli/launcher.ts'), 'utf8');
    expect(launcher).toMatch(/const bundlePath = path\.join\(__dirname, 'cli-main\.js'\);\n\s*const \{ script, status \} = compileBundle\(bundlePath, true\);/);
    // The only module it requires is the language server bundle beside it.
    expect(launcher.match(/\brequire\s*\(.*$/gm)).toEqual(["require(path.join(__dirname, 'server.js'));"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } };
    expect(manifest.capabilities?.untrustedWorkspaces?.supported).toBe(true);
  });

  it('imports vscode only in client/', () => {
    const everything = ['server/src', 'rules', 'bench', 'test'].flatMap(sourcesUnder).filter((f) => !f.startsWith('test/e2e/'));
    const offenders = everything.filter((f) => importsOf(f).includes('vscode'));
    expect(offenders).toEqual([]);
  });

  it('sets the exit code only in the CLI entry point', () => {
    const cli = sourcesUnder('server/src/cli').filter((f) => /process\.(exit\(|exitCode)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(cli).toEqual(['server/src/cli/bin.ts']);
  });

  it.each(sourcesUnder('rules'))('%s imports from the engine only the rule API and inputs\' api modules', (file) => {
    const engineImports = importsOf(file).filter((m) => m.includes('server/src/'));
    const allowed = (m: string) => /server\/src\/engine\/rule-api\.js$/.test(m) || /server\/src\/engine\/inputs\/[a-z0-9-]+\/api\.js$/.test(m);
    expect(engineImports.filter((m) => !allowed(m))).toEqual([]);
  });

  it('the runner, the parse cache and the chain walk name no input: they go through the registry and the contract', () => {
    const core = ['server/src/engine/run.ts', 'server/src/engine/parse-cache.ts', ...sourcesUnder('server/src/engine/chain')];
    const offenders = core.flatMap((file) => importsOf(file).filter((m) => /(^|\/)inputs\//.test(m) && !/inputs\/(index|input)\.js$/.test(m)).map((m) => `${file} → ${m}`));
    expect(offenders).toEqual([]);
  });

  it('an input\'s folder imports nothing from another input\'s folder', () => {
    const inputsDir = path.join(ROOT, 'server/src/engine/inputs');
    const folders = fs.readdirSync(inputsDir).filter((name) => fs.statSync(path.join(inputsDir, name)).isDirectory());
    expect(folders.length).toBeGreaterThanOrEqual(4);
    const offenders = folders.flatMap((folder) =>
      sourcesUnder(`server/src/engine/inputs/${folder}`).flatMap((file) =>
        importsOf(file)
          .filter((m) => m.startsWith('.'))
          .map((m) => path.relative(path.join(ROOT, 'server/src/engine/inputs'), path.resolve(path.dirname(path.join(ROOT, file)), m)))
          .filter((target) => !target.startsWith('..') && target.includes(path.sep) && target.split(path.sep)[0] !== folder)
          .map((target) => `${file} → ${target}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('has no import circle in the server (type-only imports included)', () => {
    const files = sourcesUnder('server/src');
    const known = new Set(files);
    const edges = new Map(files.map((file) => [file, importsOf(file).filter((m) => m.startsWith('.') && !m.endsWith('.json')).map((m) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), m)).replace(/\.js$/, '.ts')).filter((t) => known.has(t))]));
    expect(circlesOf(edges)).toEqual([]);
  });
});

/** Strongly connected components of more than one module (Tarjan, iterative: no recursion limit on deep graphs). */
function circlesOf(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) circles.push(component.sort());
      }
    }
  }
  return circles;
}

