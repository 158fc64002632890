// The servers Nuxt, Remix, React Router and Astro start (Node's keep-alive default): which command says so, and where the finding goes.
import { describe, expect, it } from 'vitest';
import { nodeDefaultServerOf, standaloneAstroNode } from '../../server/src/engine/inputs/ts/framework-servers/node-default.js';

const manifest = (scripts: Record<string, string>, dependencies: Record<string, string>) => JSON.stringify({ name: 'web', scripts, dependencies }, null, 2);
const dockerfile = (cmd: string) => ({ file: 'Dockerfile', text: `FROM node:22-slim\nWORKDIR /app\nCOPY . .\n${cmd}\n` });
const astroConfig = (call: string) => ({ file: 'astro.config.mjs', text: `import { defineConfig } from 'astro/config';\nimport node from '@astrojs/node';\n\nexport default defineConfig({ output: 'server', adapter: ${call} });\n` });
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

const NUXT = { nuxt: '^3.17.5' };
const REMIX = { '@remix-run/node': '^2.16.0', '@remix-run/serve': '^2.16.0' };
const ROUTER = { '@react-router/node': '^7.6.2', '@react-router/serve': '^7.6.2' };
const ASTRO = { astro: '^5.9.0', '@astrojs/node': '^9.2.2' };

describe('nodeDefaultServerOf', () => {
  it.each([
    ['Nuxt, the built server', NUXT, 'node .output/server/index.mjs', 'Nuxt', 'node .output/server/index.mjs'],
    ['Nuxt, with node flags and a path', NUXT, 'node --env-file .env /app/.output/server/index.mjs', 'Nuxt', 'node --env-file .env /app/.output/server/index.mjs'],
    ['Nuxt, nuxt start', NUXT, 'nuxt build && nuxt start', 'Nuxt', 'nuxt start'],
    ['Nuxt, npx nuxi preview', NUXT, 'npx nuxi preview', 'Nuxt', 'npx nuxi preview'],
    ['Nitro on its own (v2)', { nitropack: '^2.12.4' }, 'node .output/server/index.mjs', 'Nitro', 'node .output/server/index.mjs'],
    ['Nitro on its own (v3), preview', { nitro: '^3.0.0' }, 'nitro preview', 'Nitro', 'nitro preview'],
    ['Remix', REMIX, 'remix-serve ./build/index.js', 'Remix', 'remix-serve ./build/index.js'],
    ['React Router, after an env prefix', ROUTER, 'cross-env NODE_ENV=production react-router-serve ./build/server/index.js', 'React Router', 'react-router-serve ./build/server/index.js'],
  ])('%s: the script command is the span', (_name, dependencies, start, framework, command) => {
    const text = manifest({ start }, dependencies);
    const server = nodeDefaultServerOf('package.json', text, undefined, undefined)!;
    expect(server.framework).toBe(framework);
    expect(slice(text, server.span)).toBe(command);
    // No knob: neither a flag nor a variable.
    expect(server.keepAliveFlag).toBeUndefined();
    expect(server.keepAliveEnv).toBeUndefined();
  });

  it('the image runs the server itself: the span is the dependency that provides it', () => {
    const text = manifest({ build: 'nuxt build' }, NUXT);
    const server = nodeDefaultServerOf('package.json', text, dockerfile('CMD ["node", ".output/server/index.mjs"]'), undefined)!;
    expect(slice(text, server.span)).toBe('"nuxt"');
    expect(server.evidence).toBe("Dockerfile runs `node .output/server/index.mjs`: Nitro's node-server, Nuxt's production server, which sets no keep-alive of its own");
  });

  it('the image runs a script: that script decides', () => {
    const text = manifest({ start: 'remix-serve ./build/index.js', 'start:e2e': 'remix-serve ./build/index.js' }, REMIX);
    expect(nodeDefaultServerOf('package.json', text, dockerfile('CMD ["npm", "run", "start:prod"]'), undefined)).toBeUndefined();
    expect(nodeDefaultServerOf('package.json', text, dockerfile('CMD npm start'), undefined)?.framework).toBe('Remix');
  });

  it('Astro only in standalone mode of @astrojs/node', () => {
    const text = manifest({ start: 'node ./dist/server/entry.mjs' }, ASTRO);
    expect(nodeDefaultServerOf('package.json', text, undefined, astroConfig("node({ mode: 'standalone' })"))?.framework).toBe('Astro');
    expect(nodeDefaultServerOf('package.json', text, undefined, astroConfig("node({ mode: 'middleware' })"))).toBeUndefined();
    expect(nodeDefaultServerOf('package.json', text, undefined, undefined)).toBeUndefined();
  });

  it.each([
    ['a custom server', manifest({ start: 'node server.mjs' }, REMIX)],
    ['the dependency is missing', manifest({ start: 'remix-serve ./build/index.js' }, { '@remix-run/node': '^2.16.0' })],
    ['a development server', manifest({ start: 'nuxt dev' }, NUXT)],
    ['no production script', manifest({ dev: 'react-router dev' }, ROUTER)],
    ['not JSON', '{ "scripts": '],
  ])('no server: %s', (_name, text) => {
    expect(nodeDefaultServerOf('package.json', text, undefined, undefined)).toBeUndefined();
  });
});

describe('standaloneAstroNode', () => {
  it.each([
    ["node({ mode: 'standalone' })", true],
    ['node({\n    mode: "standalone",\n  })', true],
    ["node({ mode: 'middleware' })", false],
  ])('%s → %s', (call, expected) => {
    expect(standaloneAstroNode(astroConfig(call).text)).toBe(expected);
  });

  it('a commented-out mode does not count, a nested option before it does not hide it', () => {
    expect(standaloneAstroNode(astroConfig("node({\n  // mode: 'standalone',\n  mode: 'middleware' })").text)).toBe(false);
    expect(standaloneAstroNode(astroConfig("node({ experimentalStaticHeaders: { enabled: true }, mode: 'standalone' })").text)).toBe(true);
  });

  it('needs @astrojs/node imported', () => {
    expect(standaloneAstroNode("import vercel from '@astrojs/vercel';\nexport default { adapter: vercel({ mode: 'standalone' }) };")).toBe(false);
  });
});
