// SvelteKit's adapter-node server: which config and command say it runs, the variable its keep-alive comes from, and which adapter releases read it.
import { describe, expect, it } from 'vitest';
import { adapterOptions, rangeReadsKnob, runsBuild, svelteKitServerOf } from '../../server/src/engine/inputs/ts/framework-servers/sveltekit.js';

const manifest = (scripts: Record<string, string>, adapter = '^5.5.1') =>
  JSON.stringify({ name: 'app', type: 'module', scripts, devDependencies: { '@sveltejs/adapter-node': adapter, '@sveltejs/kit': '^2.49.0' } }, null, 2);
const config = (call: string) => ({ file: 'svelte.config.js', text: `import adapter from '@sveltejs/adapter-node';\n\nexport default { kit: { adapter: ${call} } };\n` });
const dockerfile = (cmd: string) => ({ file: 'Dockerfile', text: `FROM node:22-alpine\nWORKDIR /app\nCOPY build build\n${cmd}\n` });
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('adapterOptions', () => {
  it.each([
    ['no options', 'adapter()', { out: 'build', envPrefix: '' }],
    ['other options only', 'adapter({ precompress: true })', { out: 'build', envPrefix: '' }],
    ['out and envPrefix', "adapter({ out: 'dist/server', envPrefix: 'APP_' })", { out: 'dist/server', envPrefix: 'APP_' }],
    ['double quotes, trailing comma', 'adapter({\n  envPrefix: "MY_",\n})', { out: 'build', envPrefix: 'MY_' }],
    ['a computed prefix is unknown', 'adapter({ envPrefix: process.env.PREFIX })', { out: 'build', envPrefix: undefined }],
    ['a shorthand out is unknown', 'adapter({ out })', { out: undefined, envPrefix: '' }],
    ['a template literal out is unknown', 'adapter({ out: `build-${mode}` })', { out: undefined, envPrefix: '' }],
    ['a comment with a quote in it', "adapter({\n  // Docker's WORKDIR is /app\n  precompress: true,\n})", { out: 'build', envPrefix: '' }],
    ['a commented-out option', "adapter({\n  // out: 'dist',\n  /* envPrefix: 'OLD_', */\n  precompress: true })", { out: 'build', envPrefix: '' }],
  ])('%s', (_name, call, expected) => {
    expect(adapterOptions(config(call).text)).toEqual(expected);
  });

  it('a commented-out call before the real one is not read', () => {
    expect(adapterOptions("import adapter from '@sveltejs/adapter-node';\n// adapter({ out: 'old' })\nexport default { kit: { adapter: adapter({ out: 'new' }) } };")).toEqual({ out: 'new', envPrefix: '' });
  });

  it('needs the adapter imported and called: another adapter, or one only imported, is not adapter-node in use', () => {
    expect(adapterOptions("import adapter from '@sveltejs/adapter-auto';\nexport default { kit: { adapter: adapter() } };")).toBeUndefined();
    expect(adapterOptions("import node from '@sveltejs/adapter-node';\nimport vercel from '@sveltejs/adapter-vercel';\nexport default { kit: { adapter: vercel() } };")).toBeUndefined();
    expect(adapterOptions("const nodeAdapter = require('@sveltejs/adapter-node');\nmodule.exports = { kit: { adapter: nodeAdapter({ out: 'out' }) } };")).toEqual({ out: 'out', envPrefix: '' });
  });
});

describe('runsBuild', () => {
  it.each([
    ['node build', 'build', 'node build'],
    ['node ./build/', 'build', 'node ./build/'],
    ['node build/index.js', 'build', 'node build/index.js'],
    ['node /app/build', 'build', 'node /app/build'],
    ['node -r dotenv/config build && echo done', 'build', 'node -r dotenv/config build'],
    ['node --env-file .env --max-old-space-size=512 build', 'build', 'node --env-file .env --max-old-space-size=512 build'],
    ['NODE_ENV=production node dist/server', 'dist/server', 'node dist/server'],
  ])('%s', (command, out, found) => {
    const at = runsBuild(command, out)!;
    expect(command.slice(at.start, at.end)).toBe(found);
  });

  it.each([
    ['node server.js', 'build'],
    ['node build-tools/seed.js', 'build'],
    ['node -e "require(\'./build\')"', 'build'],
    ['nodemon build', 'build'],
    ['node scripts/build', 'build'],
    ['vite preview', 'build'],
  ])('not %s', (command, out) => {
    expect(runsBuild(command, out)).toBeUndefined();
  });
});

describe('rangeReadsKnob (KEEP_ALIVE_TIMEOUT, adapter-node 5.5.0)', () => {
  it.each([
    ['^5.5.1', 'yes'],
    ['5.5.0', 'yes'],
    ['>=5.5.0', 'yes'],
    ['^6.0.0-next.8', 'yes'],
    ['~5.2.12', 'no'],
    ['5.4.2', 'no'],
    ['^4.0.1', 'no'],
    ['5.4.x', 'no'],
    ['~5', 'maybe'],
    ['^5.0.0', 'maybe'],
    ['5.x', 'maybe'],
    ['>=4', 'maybe'],
    ['latest', 'maybe'],
    ['workspace:*', 'maybe'],
    [undefined, 'maybe'],
  ])('%s → %s', (range, expected) => {
    expect(rangeReadsKnob(range)).toBe(expected);
  });
});

describe('svelteKitServerOf', () => {
  it("the image's `node build`: the span is the adapter dependency, and the variable is KEEP_ALIVE_TIMEOUT in seconds", () => {
    const text = manifest({ build: 'vite build' });
    const server = svelteKitServerOf('package.json', text, config('adapter()'), dockerfile('CMD ["node", "build"]'))!;
    expect(server).toMatchObject({ framework: 'SvelteKit', how: 'adapter-node', keepAliveEnv: { name: 'KEEP_ALIVE_TIMEOUT', unit: 's', zero: 'disables' } });
    expect(slice(text, server.span)).toBe('"@sveltejs/adapter-node"');
    expect(server.keepAliveEnv!.unread).toBeUndefined();
    expect(server.evidence).toContain('Dockerfile runs `node build`');
  });

  it('a script the image runs, with the command as the span; the prefix renames the variable', () => {
    const text = manifest({ start: 'node build', 'start:prod': 'node -r dotenv/config out && echo stopped' });
    const server = svelteKitServerOf('package.json', text, config("adapter({ out: 'out', envPrefix: 'REPORTS_' })"), dockerfile('CMD npm run start:prod'))!;
    expect(slice(text, server.span)).toBe('node -r dotenv/config out');
    expect(server.keepAliveEnv!.name).toBe('REPORTS_KEEP_ALIVE_TIMEOUT');
    // dotenv may set the variable from a file the workspace does not show.
    expect(server.keepAliveEnv!.fromFile).toBe('-r dotenv/config');
  });

  it('a value the start script sets itself, with its place in package.json', () => {
    const text = manifest({ start: 'HOST=0.0.0.0 KEEP_ALIVE_TIMEOUT=75 node build' });
    const server = svelteKitServerOf('package.json', text, config('adapter()'), undefined)!;
    expect(server.keepAliveEnv!.inline!.text).toBe('75');
    expect(slice(text, server.keepAliveEnv!.inline!.span!)).toBe('75');
    // In the image's command there is no file to point into: the value alone.
    const image = svelteKitServerOf('package.json', manifest({}), config('adapter()'), dockerfile('CMD KEEP_ALIVE_TIMEOUT=75 node build'))!;
    expect(image.keepAliveEnv!.inline).toEqual({ text: '75' });
  });

  it('a monorepo image may run the package by its folder; another folder is not the output', () => {
    const text = manifest({ build: 'vite build' });
    expect(svelteKitServerOf('apps/web/package.json', text, config('adapter()'), dockerfile('CMD ["node", "apps/web/build"]'))?.how).toBe('adapter-node');
    expect(svelteKitServerOf('apps/web/package.json', text, config('adapter()'), dockerfile('CMD ["node", "scripts/build"]'))).toBeUndefined();
  });

  it('a value set in front of the script runner in the image reaches the server (npm hands it on)', () => {
    const server = svelteKitServerOf('package.json', manifest({ start: 'node build' }), config('adapter()'), dockerfile('CMD KEEP_ALIVE_TIMEOUT=75 npm start'))!;
    expect(server.keepAliveEnv!.inline).toEqual({ text: '75' });
  });

  it('a Dockerfile whose last stage runs another image\'s command: no server (a static site behind nginx)', () => {
    expect(svelteKitServerOf('package.json', manifest({ start: 'node build' }), config('adapter()'), dockerfile('FROM nginx:1.27-alpine\nCOPY --from=0 /app/build /usr/share/nginx/html'))).toBeUndefined();
  });

  it('without a Dockerfile, the first production script that exists', () => {
    const text = manifest({ preview: 'vite preview', start: 'node build' });
    expect(slice(text, svelteKitServerOf('package.json', text, config('adapter()'), undefined)!.span)).toBe('node build');
  });

  it('an adapter release older than the knob: the variable is named as unread; a range that may hold one says so', () => {
    const old = svelteKitServerOf('package.json', manifest({ start: 'node build' }, '~5.2.12'), config('adapter()'), undefined)!;
    expect(old.keepAliveEnv!.unread).toBe('@sveltejs/adapter-node ~5.2.12 predates KEEP_ALIVE_TIMEOUT, which 5.5.0 added');
    const maybe = svelteKitServerOf('package.json', manifest({ start: 'node build' }, '^5.0.0'), config('adapter()'), undefined)!;
    expect(maybe.keepAliveEnv!.unread).toBeUndefined();
    expect(maybe.keepAliveEnv!.provided).toContain('5.5.0 and later');
  });

  it.each([
    ['no svelte.config', manifest({ start: 'node build' }), undefined, undefined],
    ['another adapter', manifest({ start: 'node build' }), { file: 'svelte.config.js', text: "import adapter from '@sveltejs/adapter-auto';\nexport default { kit: { adapter: adapter() } };" }, undefined],
    ['a custom server', manifest({ start: 'node server.js' }), config('adapter()'), undefined],
    ['the image runs something else', manifest({ start: 'node build' }), config('adapter()'), dockerfile('CMD ["node", "server.js"]')],
    ['an unknown output folder', manifest({ start: 'node build' }), config('adapter({ out: outDir })'), undefined],
    ['no adapter dependency', JSON.stringify({ scripts: { start: 'node build' }, devDependencies: { '@sveltejs/kit': '^2' } }), config('adapter()'), undefined],
  ])('no server: %s', (_name, text, svelteConfig, image) => {
    expect(svelteKitServerOf('package.json', text, svelteConfig, image)).toBeUndefined();
  });
});
