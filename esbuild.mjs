// Bundles the CLI/language server and the VS Code client into dist/ with esbuild.
// `node esbuild.mjs --production` builds what the .vsix ships: the three bundles minified, no
// source maps (stale ones are removed), no benchmark bundle.
import { parse } from '@babel/parser';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // Minified bundles keep readable names: stack traces in the output channel stay useful.
  keepNames: production,
  logLevel: 'warning',
  // The outputs each build wrote, for the Latin-1 pass below.
  metafile: true,
};

mkdirSync('dist', { recursive: true });
if (production) {
  for (const f of readdirSync('dist', { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.js.map'))) {
    rmSync(`dist/${f.name}`);
  }
}

const results = await Promise.all([
  // dist/cli.js is a small launcher that starts dist/cli-main.js from V8's code cache (server/src/cli/code-cache.ts).
  build({
    ...common,
    entryPoints: { cli: 'server/src/cli/launcher.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: { 'cli-main': 'server/src/cli/bin.ts', 'code-cache-build': 'server/src/build/code-cache-build.ts' },
    outdir: 'dist',
  }),
  production
    ? undefined
    : build({
        ...common,
        entryPoints: { 'bench-nginx': 'bench/nginx-throughput.ts', bench: 'bench/monorepo.ts', 'bench-floor': 'bench/floor.ts', 'bench-helm': 'bench/helm-charts.ts' },
        outdir: 'dist',
      }),
  // The language server on its own, started by the VS Code client over IPC (also `--stdio`).
  build({
    ...common,
    entryPoints: { server: 'server/src/lsp/main.ts' },
    outdir: 'dist',
  }),
  // The VS Code extension; `vscode` is provided by the extension host at run time.
  build({
    ...common,
    entryPoints: { client: 'client/src/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
  }),
]);

// V8 keeps a script's source text for the life of the process (lazy compilation, stack traces), at
// one byte per character only when every character is Latin-1: a single `…` or `→` doubles it (the
// server's 3.7 MB bundle took 7.5 MB of heap). esbuild writes strings ASCII-only, but copies comments
// (kept in development builds) and regular expression literals as they are. Other characters in
// comments become `?` (the same length, so source maps stay right); one anywhere else fails the build,
// to be escaped in the source.
// Only the bundles this build wrote: a production build leaves development-only bundles of an
// earlier build (dist/bench*.js) as they were.
const written = results.flatMap((result) => Object.keys(result?.metafile?.outputs ?? {})).filter((file) => file.endsWith('.js'));
for (const file of written) {
  const text = readFileSync(file, 'utf8');
  if (!/[^\u0000-\u00ff]/.test(text)) continue;
  const chars = text.split('');
  const { comments, errors } = parse(text, { sourceType: 'script', allowReturnOutsideFunction: true, errorRecovery: true });
  // A bundle Babel cannot read whole could hide a comment, or take code for one.
  if (errors.length > 0) throw new Error(`${file}: cannot find its comments: ${errors[0].message}`);
  for (const comment of comments) {
    for (let i = comment.start; i < comment.end; i++) if (chars[i].charCodeAt(0) > 0xff) chars[i] = '?';
  }
  const latin1 = chars.join('');
  const left = /[^\u0000-\u00ff]/.exec(latin1);
  if (left) {
    const line = latin1.slice(0, left.index).split('\n').length;
    throw new Error(`${file}:${line}: ${JSON.stringify(left[0])} is not Latin-1 and not in a comment: escape it in the source (\\u${left[0].charCodeAt(0).toString(16).padStart(4, '0')})`);
  }
  writeFileSync(file, latin1);
}

// V8's code cache for the CLI bundle: one run on the example workspace compiles what a run needs.
// Without it (a failed step) the CLI still runs; it compiles its bundle on every start.
rmSync('dist/cli-main.js.v8cache', { force: true });
const codeCache = spawnSync(process.execPath, ['dist/code-cache-build.js', 'dist/cli-main.js', 'examples'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (codeCache.status !== 0) console.warn(`code cache not built (exit ${codeCache.status ?? codeCache.signal}): dist/cli.js compiles its bundle on every start`);
