// Servers listening on an app another module builds: `const app = createApp(); app.listen(port)`,
// with `export function createApp() { const app = express(); …; return app; }` in app.ts.
import type { FileId } from '../../types.js';
import { resolveImportedFunction } from './resolve.js';
import type { TsFileFacts } from './types.js';

/**
 * Makes each `factoryServers` entry a server of its file when the imported function returns an
 * Express, Koa or NestJS app (its framework becomes the server's), and drops it otherwise: what the
 * function returns is never guessed. Facts are replaced, not changed, as the other package passes do.
 */
export function applyAppFactories(files: Map<FileId, TsFileFacts>): void {
  for (const [file, facts] of files) {
    if (!facts.factoryServers) continue;
    const servers = [...facts.servers];
    for (const { factory, server } of facts.factoryServers) {
      const target = resolveImportedFunction(files, file, factory);
      const framework = target?.fn.returnsApp;
      if (framework) servers.push({ ...server, kind: framework });
    }
    files.set(file, { ...facts, servers, factoryServers: undefined });
  }
}
