// Bundles the CLI/language server and the VS Code client into dist/ with esbuild.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'server/src/cli/bin.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: { 'bench-nginx': 'bench/nginx-throughput.ts' },
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
