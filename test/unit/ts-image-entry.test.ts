// The package an image runs when its build context holds several: the node script its final command runs.
import { describe, expect, it } from 'vitest';
import { imageEntryOf } from '../../server/src/engine/inputs/ts/image-entry.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

describe('the node script an image runs', () => {
  it.each([
    ['an exec-form CMD', 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server/server.js"]\n', '', 'server/server.js'],
    ['a shell-form CMD with node flags', 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD node --enable-source-maps -r dotenv/config apps/api/dist/main.js\n', '', 'apps/api/dist/main.js'],
    ['an exec ENTRYPOINT wrapper taking CMD as its arguments', 'FROM node:20\nWORKDIR /app\nENTRYPOINT ["/sbin/tini", "--"]\nCMD ["node", "./server/index.mjs"]\n', '', 'server/index.mjs'],
    ['an absolute path below WORKDIR', 'FROM node:20\nWORKDIR /srv/app\nCOPY . .\nCMD ["node", "/srv/app/backend/main.js"]\n', '', 'backend/main.js'],
    ['a build context below the root', 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/main.js"]\n', 'services/api', 'services/api/dist/main.js'],
    ['the final stage of several', 'FROM node:20 AS build\nWORKDIR /app\nCMD ["node", "tools/build.js"]\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./\nCMD ["node", "server/server.js"]\n', '', 'server/server.js'],
  ])('reads %s', (_name, dockerfile, context, path) => {
    expect(imageEntryOf(dockerfile, context)?.path).toBe(path);
  });

  it.each([
    ['no node command', 'FROM nginx\nCMD ["nginx", "-g", "daemon off;"]\n'],
    ['an npm script', 'FROM node:20\nWORKDIR /app\nCMD ["npm", "start"]\n'],
    ['an absolute path outside WORKDIR', 'FROM node:20\nWORKDIR /app\nCMD ["node", "/opt/tools/server.js"]\n'],
    ['a path that leaves the context', 'FROM node:20\nWORKDIR /app\nCMD ["node", "../server.js"]\n'],
    ['inline code', 'FROM node:20\nCMD ["node", "-e", "require(\'./server.js\')"]\n'],
  ])('places nothing for %s', (_name, dockerfile) => {
    expect(imageEntryOf(dockerfile, '')).toBeUndefined();
  });
});

describe('an image built from the repository root that runs a sub-package', () => {
  const files = (cmd: string): Record<string, string> => ({
    'package.json': '{ "name": "acme-hub", "private": true, "scripts": { "docker:build": "docker build -f docker/Dockerfile -t acme-hub:latest ." } }',
    // A source file of the root's own makes the root a code package (which serves nothing).
    'build.mjs': "const res = await fetch('https://hooks.example.com/build-done', { method: 'POST' });\nconsole.log(res.status);\n",
    'docker/Dockerfile': `FROM node:20-slim\nWORKDIR /app\nCOPY . .\n${cmd}\n`,
    'docker/compose.yml': 'services:\n  hub:\n    image: acme-hub:latest\n    ports:\n      - "3000:3000"\n',
    'docker/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location / {\n      proxy_pass http://hub:3000;\n      proxy_read_timeout 30s;\n    }\n  }\n}\n',
    'server/package.json': '{ "name": "acme-hub-server", "dependencies": { "express": "^4.19.0", "connect-timeout": "^1.9.0" } }',
    'server/server.js': "const express = require('express');\nconst timeout = require('connect-timeout');\nconst app = express();\napp.use(timeout('90s'));\napp.post('/api/chat', (req, res) => res.end());\napp.listen(3000);\n",
  });
  const run = (f: Record<string, string>) => lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });

  it('follows the image named like the root package into the package its command runs', () => {
    const report = run(files('CMD ["node", "server/server.js"]'));
    const finding = report.findings.find((x) => x.ruleId === 'outer-timeout-below-inner' && x.span.file === 'docker/nginx.conf');
    expect(finding?.message).toMatch(/gives up at 30 s; POST \/api\/chat handler may take 90 s/);
  });

  // The same workspace whose image runs `npm start`: the root package, which serves nothing, is where the chain stops.
  it('stops at the root package when the command names no script of another package', () => {
    expect(run(files('CMD ["npm", "start"]')).findings.filter((x) => x.ruleId === 'outer-timeout-below-inner')).toEqual([]);
  });
});
