// What starts a framework's server: the image's command (last stage, ENTRYPOINT with CMD), the variables a command line sets, and the files it loads them from.
import { describe, expect, it } from 'vitest';
import { envFileLoader, inlineAssignments, nodeScriptAt } from '../../server/src/engine/inputs/ts/framework-servers/command-line.js';
import { lastCommand } from '../../server/src/engine/inputs/ts/framework-servers/dockerfile.js';
import { scriptRunBy } from '../../server/src/engine/inputs/ts/framework-servers/start-commands.js';
import { dockerfileEnv } from '../../server/src/engine/inputs/ts/packages.js';

describe('lastCommand', () => {
  it.each([
    ['exec form', 'FROM node:22\nCMD ["node", "build"]\n', 'node build'],
    ['shell form', 'FROM node:22\nCMD node build\n', 'node build'],
    ['the last CMD wins', 'FROM node:22\nCMD ["npm", "test"]\nCMD ["npm", "start"]\n', 'npm start'],
    ['an exec ENTRYPOINT takes CMD as arguments', 'FROM node:22\nENTRYPOINT ["node"]\nCMD ["build"]\n', 'node build'],
    ['a shell ENTRYPOINT ignores CMD', 'FROM node:22\nENTRYPOINT node build\nCMD ["--inspect"]\n', 'node build'],
    ['a HEALTHCHECK command is not the image command', 'FROM node:22\nCMD ["node", "build"]\nHEALTHCHECK --interval=30s \\\n  CMD wget -qO- http://localhost:3000/health || exit 1\n', 'node build'],
    ['a continued CMD is joined', 'FROM node:22\nCMD node \\\n    build\n', 'node      build'],
    ['only the last stage counts', 'FROM node:22 AS build\nCMD ["npm", "run", "build"]\n\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n', undefined],
    ['a stage built from an earlier one inherits its command', 'FROM node:22-alpine AS base\nCMD ["node", "build"]\nFROM base AS build\nRUN npm run build\nFROM base\nCOPY --from=build /app/build build\n', 'node build'],
    ['a comment inside a continued HEALTHCHECK', 'FROM node:22\nCMD ["node", "build"]\nHEALTHCHECK --interval=30s \\\n  # probe the app\n  CMD wget -qO- http://localhost:3000/ || exit 1\n', 'node build'],
    ['a comment ending in a backslash continues nothing', 'FROM node:22\n# old: \\\nCMD ["node", "build"]\n', 'node build'],
    ['a heredoc body is not read as instructions', 'FROM node:22\nCMD ["node", "build"]\nCOPY <<EOF /etc/motd\nFrom the team\nCMD is not this\nEOF\n', 'node build'],
    ['lowercase instructions', 'from node:22\ncmd ["node", "build"]\n', 'node build'],
  ])('%s', (_name, text, command) => {
    expect(lastCommand(text)).toBe(command);
  });
});

describe('inlineAssignments', () => {
  const at = (command: string, program: string) => inlineAssignments(command, command.indexOf(program));
  it('reads the assignments right before the program, with where each value is', () => {
    const command = 'HOST=0.0.0.0 KEEP_ALIVE_TIMEOUT=75 node build';
    const vars = at(command, 'node');
    expect([...vars.keys()].sort()).toEqual(['HOST', 'KEEP_ALIVE_TIMEOUT']);
    const value = vars.get('KEEP_ALIVE_TIMEOUT')!;
    expect(command.slice(value.offset, value.offset + value.text.length)).toBe('75');
  });

  it.each([
    ['after a separator', 'npm run build && KEEP_ALIVE_TIMEOUT=75 node build', '75'],
    ['through cross-env', 'cross-env NODE_ENV=production KEEP_ALIVE_TIMEOUT=75 node build', '75'],
    ['through env', 'env KEEP_ALIVE_TIMEOUT=75 node build', '75'],
    ['quoted', 'KEEP_ALIVE_TIMEOUT="75" node build', '75'],
    ['set for another program', 'KEEP_ALIVE_TIMEOUT=75 npm run migrate && node build', undefined],
    ['not right before the program', 'KEEP_ALIVE_TIMEOUT=75 nice node build', undefined],
    ['arguments of another program', 'other KEEP_ALIVE_TIMEOUT=75 node build', undefined],
    ["a shell's -c (exec form joined)", 'sh -c KEEP_ALIVE_TIMEOUT=75 node build', '75'],
    ["a wrapper's --", '/sbin/tini -- env KEEP_ALIVE_TIMEOUT=75 node build', '75'],
    ['exec', 'exec KEEP_ALIVE_TIMEOUT=75 node build', '75'],
  ])('%s', (_name, command, value) => {
    expect(at(command, 'node build').get('KEEP_ALIVE_TIMEOUT')?.text).toBe(value);
  });

  it('a quoted value points inside its quotes', () => {
    const command = "KEEP_ALIVE_TIMEOUT='75' node build";
    const value = at(command, 'node').get('KEEP_ALIVE_TIMEOUT')!;
    expect(command.slice(value.offset, value.offset + 2)).toBe('75');
  });
});

describe('envFileLoader', () => {
  it.each([
    ['node --env-file=.env build', '--env-file=.env'],
    ['node --env-file .env.production build', '--env-file .env.production'],
    ['node --env-file-if-exists=.env build', '--env-file-if-exists=.env'],
    ['node -r dotenv/config build', '-r dotenv/config'],
    ['node --import dotenv/config build', '--import dotenv/config'],
    ['dotenv -e .env.prod -- node build', 'dotenv -e .env.prod --'],
    ['node build', undefined],
    ['node --enable-source-maps build', undefined],
  ])('%s', (command, loader) => {
    expect(envFileLoader(command)).toBe(loader);
  });
});

describe('nodeScriptAt', () => {
  it('a value-taking flag with no value left ends the search (no span before its start)', () => {
    expect(nodeScriptAt('build && node -r', () => true)).toBeUndefined();
  });

  it('skips the values of -C and --conditions', () => {
    const command = 'node -C production --conditions=react-server build';
    const found = nodeScriptAt(command, (script) => script === 'build')!;
    expect(command.slice(found.start, found.end)).toBe(command);
  });
});

describe('scriptRunBy', () => {
  it.each([
    ['npm start', 'start'],
    ['npm run start:prod', 'start:prod'],
    ['yarn start:prod', 'start:prod'],
    ['sh -c npm run migrate && npm start', 'start'],
    ['npm install && npm test', undefined],
    ['yarn workspace @acme/web start', undefined],
    ['node build', undefined],
  ])('%s → %s', (command, script) => {
    expect(scriptRunBy(command)?.script).toBe(script);
  });
});

describe('dockerfileEnv', () => {
  it('a stage built from an earlier one inherits its ENV; a value from an ARG is marked unknown', () => {
    const text = 'FROM node:22-alpine AS base\nARG KEEP=75\nENV KEEP_ALIVE_TIMEOUT=${KEEP} NODE_ENV=production\nFROM base AS build\nENV BUILD=1\nFROM base\nENV PORT=3000\n';
    const env = dockerfileEnv('Dockerfile', text);
    expect(env.map((e) => [e.name, e.value, e.unknown ?? false])).toEqual([
      ['KEEP_ALIVE_TIMEOUT', '${KEEP}', true],
      ['NODE_ENV', 'production', false],
      ['PORT', '3000', false],
    ]);
  });
});
