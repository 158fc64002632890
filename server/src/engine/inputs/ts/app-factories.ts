// Servers listening on an app another module builds: `const app = createApp(); app.listen(port)`,
// with `export function createApp() { const app = express(); …; return app; }` in app.ts.
import type { FileId } from '../../types.js';
import type { CodePackage } from './packages.js';
import { resolveImportedFunction, resolveModulePath } from './resolve.js';
import type { TsFileFacts, TsServerKind } from './types.js';

// The server kind of a package's one server framework, by the dependency that names it.
const FRAMEWORK_SERVERS: ReadonlyArray<[string, TsServerKind]> = [['express', 'express'], ['koa', 'koa'], ['fastify', 'fastify'], ['hono', 'hono'], ['@nestjs/core', 'nest']];

/**
 * Makes each `factoryServers` entry a server of its file when the imported function returns an
 * Express, Koa or NestJS app (its framework becomes the server's), and drops it otherwise: what the
 * function returns is never guessed. A factory whose module the workspace does not hold at all (a
 * partial checkout, a file list) gives a server of the package's one server framework, with that
 * evidence; a module that is there but returns no app keeps it dropped. Facts are replaced, not
 * changed, as the other package passes do.
 */
export function applyAppFactories(files: Map<FileId, TsFileFacts>, packages: readonly CodePackage[] = [], inWorkspace: (file: FileId) => boolean = (file) => files.has(file)): void {
  for (const [file, facts] of files) {
    if (!facts.factoryServers) continue;
    const servers = [...facts.servers];
    for (const { factory, server } of facts.factoryServers) {
      const target = resolveImportedFunction(files, file, factory);
      const framework = target?.fn.returnsApp;
      if (framework) {
        servers.push({ ...server, kind: framework });
        continue;
      }
      if (target || !factory.module.startsWith('.') || resolveModulePath(file, factory.module, inWorkspace, facts.moduleFiles) !== undefined) continue;
      const sole = soleFramework(packages.find((p) => p.files.includes(file)));
      if (sole) servers.push({ ...server, kind: sole.kind, evidence: [...(server.evidence ?? []), { text: `${factory.name === 'default' ? 'the app factory' : factory.name} comes from ${factory.module}, which is not in the workspace; ${sole.evidence}`, span: server.span }] });
    }
    files.set(file, { ...facts, servers, factoryServers: undefined });
  }
}

function soleFramework(pkg: CodePackage | undefined): { kind: TsServerKind; evidence: string } | undefined {
  const deps = pkg?.runtime?.serverDeps ?? [];
  const kinds = FRAMEWORK_SERVERS.filter(([dep]) => deps.includes(dep));
  if (kinds.length !== 1 || deps.some((d) => d !== kinds[0]![0] && d !== '@hono/node-server')) return undefined;
  return { kind: kinds[0]![1], evidence: `${kinds[0]![0]} is the only server framework ${pkg!.runtime?.manifest ?? 'the package'} depends on` };
}
