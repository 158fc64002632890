// How a Next.js package's own server starts: the `next start` script and its --keepAliveTimeout, or the standalone server.js.
import { describe, expect, it } from 'vitest';
import { nextServerOf } from '../../server/src/engine/inputs/ts/framework-servers/next.js';

const manifest = (scripts: Record<string, string>) => JSON.stringify({ name: 'web', scripts, dependencies: { next: '15.3.2' } }, null, 2);
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('nextServerOf', () => {
  it.each([
    ['plain start', { start: 'next start' }, 'next start', undefined],
    ['port and flag with a space', { start: 'next start -p 3000 --keepAliveTimeout 65000' }, 'next start -p 3000 --keepAliveTimeout 65000', '65000'],
    ['flag with =', { start: 'next start --keepAliveTimeout=70000 -H 0.0.0.0' }, 'next start --keepAliveTimeout=70000 -H 0.0.0.0', '70000'],
    ['through npx, after an env prefix', { start: 'cross-env NODE_ENV=production npx next start' }, 'npx next start', undefined],
    ['after a build, before another command', { 'start:prod': 'next build && next start -p 8080 && echo done' }, 'next start -p 8080', undefined],
  ])('%s', (_name, scripts, command, flag) => {
    const text = manifest(scripts);
    const server = nextServerOf('web/package.json', text, undefined)!;
    expect(server.how).toBe('next-start');
    expect(slice(text, server.span)).toBe(command);
    expect(server.keepAliveFlag && slice(text, server.keepAliveFlag.span!)).toBe(flag);
    expect(server.keepAliveFlag?.ms).toBe(flag === undefined ? undefined : Number(flag));
    // A fix adds the flag where the command ends.
    expect(text.slice(server.script!.commandEnd - command.length, server.script!.commandEnd)).toBe(command);
  });

  it('takes the first production script that exists, and only it', () => {
    const text = manifest({ 'dev:prod-like': 'next start -p 4000', serve: 'next start -p 5000', start: 'next start -p 3000' });
    expect(slice(text, nextServerOf('package.json', text, undefined)!.span)).toBe('next start -p 3000');
    // `start` runs a custom server: an e2e script that runs `next start` is not what production runs.
    expect(nextServerOf('package.json', manifest({ start: 'node server.mjs', 'test:e2e': 'next start -p 3100' }), undefined)).toBeUndefined();
  });

  it.each([
    ['a redirection', 'next start -p 3000 2>&1 | tee next.log', 'next start -p 3000 2>&1'],
    ['a command substitution', 'next start -p $(cat .port) && echo up', 'next start -p $(cat .port)'],
    ['a group', '(next start -p 3000)', 'next start -p 3000'],
  ])('ends the command at the right place around %s, and offers no place for a flag', (_name, script, command) => {
    const text = manifest({ start: script });
    const server = nextServerOf('package.json', text, undefined)!;
    expect(slice(text, server.span)).toBe(command);
    expect(server.script === undefined).toBe(command !== 'next start -p 3000');
  });

  it('reads a flag whose value is not a number as unknown, with no place for a second flag', () => {
    const text = manifest({ start: 'next start --keepAliveTimeout $KEEP_ALIVE_MS' });
    const server = nextServerOf('package.json', text, undefined)!;
    expect(server.keepAliveFlag).toMatchObject({ text: '$KEEP_ALIVE_MS' });
    expect(server.keepAliveFlag?.ms).toBeUndefined();
    expect(server.script).toBeUndefined();
  });

  it.each([
    ['npm start', 'CMD ["npm", "start"]', 'next start -p 3000'],
    ['npm run start:prod', 'CMD npm run start:prod', 'next start -p 8080'],
    ['yarn start:prod through an init', 'ENTRYPOINT ["dumb-init", "--", "yarn", "start:prod"]', 'next start -p 8080'],
  ])('the Dockerfile decides which script runs: %s', (_name, cmd, command) => {
    const text = manifest({ start: 'next start -p 3000', 'start:prod': 'next start -p 8080' });
    const server = nextServerOf('package.json', text, { file: 'Dockerfile', text: `FROM node:22\n${cmd}\n` })!;
    expect(slice(text, server.span)).toBe(command);
  });

  it('the standalone server.js in the Dockerfile wins over a start script the image never runs', () => {
    const text = manifest({ start: 'next start' });
    expect(nextServerOf('package.json', text, { file: 'Dockerfile', text: 'FROM node:22\nCMD ["node", "server.js"]\n' })?.how).toBe('standalone');
  });

  it('keeps the whole string as the place when the script has escapes (offsets would not map)', () => {
    const text = '{ "scripts": { "start": "echo \\"go\\" && next start --keepAliveTimeout 61000" }, "dependencies": { "next": "14.2.0" } }';
    const server = nextServerOf('package.json', text, undefined)!;
    expect(slice(text, server.span)).toBe('"echo \\"go\\" && next start --keepAliveTimeout 61000"');
    expect(server.keepAliveFlag?.ms).toBe(61000);
    // No fix position: the edit could not be placed inside the escaped string safely.
    expect(server.script).toBeUndefined();
  });

  it('reads a Dockerfile that runs the standalone server.js, placed on the next dependency', () => {
    const text = manifest({ build: 'next build' });
    const server = nextServerOf('web/package.json', text, { file: 'web/Dockerfile', text: 'FROM node:22\nCOPY .next/standalone ./\nCMD ["node", "server.js"]\n' })!;
    expect(server.how).toBe('standalone');
    expect(slice(text, server.span)).toBe('"next"');
    expect(server.evidence).toContain('web/Dockerfile');
  });

  it.each([
    ['no start script and no Dockerfile', manifest({ dev: 'next dev', build: 'next build' }), undefined],
    ['a Dockerfile that runs something else last', manifest({ build: 'next build' }), 'CMD ["node", "server.js"]\nCMD ["npm", "run", "worker"]\n'],
    ['a custom server script', manifest({ start: 'node server.mjs' }), undefined],
    ['a Dockerfile that runs a custom server', manifest({ start: 'next start' }), 'CMD ["node", "dist/custom-server.js"]\n'],
    ['not JSON', '{ "scripts": ', undefined],
  ])('nothing is assumed: %s', (_name, text, dockerfile) => {
    expect(nextServerOf('package.json', text, dockerfile === undefined ? undefined : { file: 'Dockerfile', text: dockerfile })).toBeUndefined();
  });

  it.each([
    ['npx next start', 'CMD ["npx", "next", "start", "-p", "3000"]', 'npx next start -p 3000', undefined],
    ['the binary with the flag', 'CMD node_modules/.bin/next start --keepAliveTimeout 70000', 'node_modules/.bin/next start --keepAliveTimeout 70000', 70000],
    ['a flag whose value is a variable', 'CMD ["sh", "-c", "next start --keepAliveTimeout $KEEP_ALIVE"]', 'next start --keepAliveTimeout $KEEP_ALIVE', undefined],
  ])('`next start` in the image itself (%s): placed on the `next` dependency, the flag read without a place', (_name, cmd, command, ms) => {
    const text = manifest({ build: 'next build' });
    const server = nextServerOf('package.json', text, { file: 'Dockerfile', text: `FROM node:22\n${cmd}\n` })!;
    expect(server.how).toBe('next-start');
    expect(slice(text, server.span)).toBe('"next"');
    expect(server.evidence).toBe(`Dockerfile runs \`${command}\`: Next.js's own server (no custom server in the package)`);
    expect(server.keepAliveFlag?.ms).toBe(ms);
    expect(server.keepAliveFlag?.span).toBeUndefined();
    // Nothing to add a flag to: a Dockerfile is not an analysed file.
    expect(server.script).toBeUndefined();
  });
});
