// The folders a Dockerfile's final image is made of (dockerfile-copies.ts): the last stage's copies, its base stage's, and those of the paths it copies from other stages.
import { describe, expect, it } from 'vitest';
import { finalImageFolders } from '../../server/src/engine/inputs/ts/dockerfile-copies.js';

const folders = (text: string, context = '') => finalImageFolders(context === '' ? 'Dockerfile' : `${context}/Dockerfile`, text, context).map((c) => c.folder);

describe('finalImageFolders', () => {
  it('reads the folders the final stage copies, and those of the stages it copies from, with the instruction and line as evidence', () => {
    const text = [
      'FROM node:lts-alpine AS frontend', 'WORKDIR /app', 'COPY ./package.json /app', 'COPY . /app', 'RUN pnpm run build',
      'FROM node:lts-alpine as backend', 'WORKDIR /app', 'COPY /service/package.json /app', 'COPY /service /app', 'RUN pnpm build',
      'FROM node:lts-alpine', 'WORKDIR /app', 'COPY /service /app', 'COPY --from=frontend /app/dist /app/public', 'COPY --from=backend /app/build /app/build', 'CMD ["pnpm", "run", "prod"]',
    ].join('\n');
    expect(finalImageFolders('Dockerfile', text, '')).toEqual([{ folder: 'service', evidence: 'COPY /service /app (Dockerfile:13)' }]);
  });

  it('follows --from to the copies that land where the paths are taken from, by name and by index, relative to the Dockerfile\'s folder', () => {
    expect(folders('FROM node:20 AS deps\nWORKDIR /app\nCOPY packages/api ./api\nFROM deps AS build\nRUN npm run build\nFROM node:20-slim\nCOPY --from=1 /app /app\n', 'deploy')).toEqual(['deploy/packages/api']);
    expect(folders('FROM node:20 AS a\nCOPY api/ /app/\nFROM node:20 AS b\nCOPY --from=a /app /app\nFROM node:20\nCOPY --chown=node:node --from=b /app /srv\n')).toEqual(['api']);
  });

  it('leaves out what a build stage copied but the final image does not take from it', () => {
    // The front end's build reads the API's shared types; the image serves only the built files with nginx.
    const text = 'FROM node:20 AS build\nWORKDIR /app\nCOPY server ./server\nCOPY web ./web\nRUN npm run build --prefix web\nFROM nginx:1.27\nCOPY --from=build /app/web/dist /usr/share/nginx/html\n';
    expect(folders(text)).toEqual(['web']);
  });

  it('inherits the copies of the stage the final one is built on', () => {
    expect(folders('FROM node:20 AS base\nWORKDIR /srv\nCOPY api .\nFROM base AS final\nCMD ["node", "index.js"]\n')).toEqual(['api']);
  });

  it('leaves out files, globs, variables, the whole context, JSON form, other stages\' copies and images named in --from', () => {
    expect(folders('FROM node:20\nCOPY package.json pnpm-lock.yaml ./\nCOPY src/*.ts ./\nCOPY $APP_DIR /app\nCOPY . .\nCOPY ["web", "/app"]\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n')).toEqual([]);
    expect(folders('FROM node:20 AS unused\nCOPY admin /admin\nFROM node:20\nCOPY api /app\n')).toEqual(['api']);
  });

  it('joins continuation lines, never continues a comment, clamps .. at the context root and never reads outside the workspace', () => {
    expect(folders('FROM node:20\nCOPY \\\n  server \\\n  /app\n')).toEqual(['server']);
    expect(folders('FROM node:20\n# a note \\\nCOPY api /app\n')).toEqual(['api']);
    expect(folders('FROM node:20\nCOPY ../api /app\n', 'svc')).toEqual(['svc/api']);
    expect(folders('FROM node:20\nCOPY ../../etc /app\n', 'svc')).toEqual(['svc/etc']);
    expect(folders('no FROM here\nCOPY api /app\n')).toEqual([]);
  });
});
