// Which server each full-stack package's framework runs, attached to the package: read from its
// package.json, Dockerfile and framework config, and again for a container whose own command
// replaces the image's.
import type { ReadContext } from '../../input.js';
import type { FileId } from '../../../types.js';
import type { CodePackage } from '../packages.js';
import { nextServerOf } from './next.js';
import { ASTRO_CONFIG_NAMES, nodeDefaultServerOf } from './node-default.js';
import type { FrameworkServer } from './server.js';
import { SVELTE_CONFIG_NAMES, svelteKitServerOf } from './sveltekit.js';

/**
 * Reads how each full-stack package's framework server starts (Next.js, SvelteKit, Nuxt, Remix, React Router, Astro); the package.json that says
 * it becomes an analysed source (findings and fixes point into it).
 */
export function attachFrameworkServers(packages: readonly CodePackage[], readSmall: (file: FileId) => string | undefined, context: ReadContext): void {
  for (const pkg of packages) {
    const fullStack = pkg.runtime?.fullStack ?? [];
    const next = fullStack.includes('next');
    const svelteKit = fullStack.includes('@sveltejs/kit');
    if (!pkg.manifest) continue;
    // A Nitro app is server code only (no full-stack dependency): its manifest (already read for the packages) says it.
    if (fullStack.length === 0 && !/"(?:nitropack|nitro)"\s*:/.test(readSmall(pkg.manifest) ?? '')) continue;
    const decoded = context.hasSource(pkg.manifest) ? undefined : context.readText(pkg.manifest);
    const text = decoded?.text ?? context.sourceText(pkg.manifest);
    if (text === undefined) continue;
    const inPackage = (name: string) => (pkg.dir === '' ? name : `${pkg.dir}/${name}`);
    const manifest = pkg.manifest;
    const dockerfile = inPackage('Dockerfile');
    const dockerText = readSmall(dockerfile);
    const svelteConfig = svelteKit ? SVELTE_CONFIG_NAMES.map(inPackage).find((file) => readSmall(file) !== undefined) : undefined;
    const astroConfig = fullStack.includes('astro') ? ASTRO_CONFIG_NAMES.map(inPackage).find((file) => readSmall(file) !== undefined) : undefined;
    // Read now: the lookup below outlives the read (a container's command is known only when chains are linked).
    const configOf = (file: FileId | undefined) => (file ? { file, text: readSmall(file)! } : undefined);
    const svelte = configOf(svelteConfig);
    const astro = configOf(astroConfig);
    const serverFor = (image: { file: FileId; text: string } | undefined): FrameworkServer | undefined => {
      if (next) return nextServerOf(manifest, text, image);
      if (svelteKit) return svelteKitServerOf(manifest, text, svelte, image);
      // Nuxt, Nitro, Remix, React Router, Astro: servers that keep Node's keep-alive default.
      return nodeDefaultServerOf(manifest, text, image, astro);
    };
    const server = serverFor(dockerText !== undefined ? { file: dockerfile, text: dockerText } : undefined);
    if (server) pkg.frameworkServer = server;
    // A container whose command replaces the image's (compose `command`, Kubernetes `command`/`args`) may run the server another way.
    if (server || FRAMEWORK_SERVER_DEPENDENCIES.some((name) => text.includes(`"${name}"`))) {
      const byCommand = new Map<string, FrameworkServer | undefined>();
      pkg.frameworkServerFor = (command) => {
        const instruction = command.replaces === 'entrypoint' ? `ENTRYPOINT ${JSON.stringify(command.words)}\nCMD []` : `CMD ${JSON.stringify(command.words)}`;
        const key = `${command.owner}\0${instruction}`;
        // Every chain through the container asks again: the answer is the same.
        if (!byCommand.has(key)) byCommand.set(key, serverFor({ file: command.owner, text: `${dockerText ?? ''}\n${instruction}` }));
        return byCommand.get(key);
      };
      if (decoded) context.addSource(manifest, decoded, 'json');
    }
  }
}

/** The dependencies that provide a framework's own server (their packages may start it from a container's command). */
const FRAMEWORK_SERVER_DEPENDENCIES = ['next', '@sveltejs/adapter-node', 'nuxt', 'nitropack', 'nitro', '@remix-run/serve', '@react-router/serve', '@astrojs/node'];
