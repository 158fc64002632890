// Images the workspace builds, and linking a workload or compose service by such an image to the package it is built from.
import { describe, expect, it } from 'vitest';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { readImageBuilds } from '../../server/src/engine/inputs/ts/image-builds.js';

function builds(files: Record<string, string>, manifests: string[] = []): string[] {
  const fs = new MemoryFs(files);
  return readImageBuilds((f) => files[f], (dir) => fs.readDirectory(dir), manifests).map((b) => `${b.name} <- ${b.context || '.'}${b.dockerfile ? ` (${b.dockerfile})` : ''} [${b.how}] @${b.span.file}:${files[b.span.file]!.slice(b.span.start, b.span.end).split('\n')[0]}`);
}

describe('reading image builds', () => {
  it('reads docker/build-push-action tags, metadata-action images and docker build run steps', () => {
    expect(builds({
      '.github/workflows/release.yml': [
        'on: push',
        'jobs:',
        '  api:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          context: ./services/api',
        '          push: true',
        '          tags: ghcr.io/${{ github.repository_owner }}/chat-api:${{ github.sha }},ghcr.io/acme/chat-api:latest',
        '      - id: meta',
        '        uses: docker/metadata-action@v5',
        '        with:',
        '          images: ghcr.io/acme/worker',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          file: services/worker/Dockerfile',
        '          tags: ${{ steps.meta.outputs.tags }}',
        '      - run: |',
        '          docker build -t registry.example.com/web:${VERSION} -f web/Dockerfile.prod web',
        '          docker push registry.example.com/web:${VERSION}',
        '      - run: docker build --tag "${{ env.IMAGE }}:1" .',
      ].join('\n'),
    })).toEqual([
      'chat-api <- services/api [docker/build-push-action in .github/workflows/release.yml:11] @.github/workflows/release.yml:ghcr.io/${{ github.repository_owner }}/chat-api:${{ github.sha }},ghcr.io/acme/chat-api:latest',
      'worker <- . (services/worker/Dockerfile) [docker/build-push-action in .github/workflows/release.yml:19 (tags from docker/metadata-action meta)] @.github/workflows/release.yml:${{ steps.meta.outputs.tags }}',
      'web <- web (web/Dockerfile.prod) [docker build -t registry.example.com/web:${VERSION} in .github/workflows/release.yml:21] @.github/workflows/release.yml:registry.example.com/web:${VERSION}',
    ]);
  });

  it('reads the root Makefile and package.json scripts (run in the package folder), skipping flags with values', () => {
    expect(builds({
      'Makefile': 'image:\n\tdocker buildx build --platform linux/amd64 --build-arg NODE=20 -t acme/ledger:dev ./services/ledger\n',
      'services/search/package.json': JSON.stringify({ name: 'search', scripts: { 'docker:build': 'docker build -t search-api .' } }),
    }, ['services/search/package.json'])).toEqual([
      'ledger <- services/ledger [docker build -t acme/ledger:dev in Makefile:2] @Makefile:acme/ledger:dev',
      'search-api <- services/search [docker build -t search-api in services/search/package.json:1 (script docker:build)] @services/search/package.json:search-api',
    ]);
  });

  it('reads GitLab CI jobs: docker, buildx, kaniko and buildah, with the file\'s variables, extends, cd and local includes', () => {
    expect(builds({
      '.gitlab-ci.yml': [
        'include:',
        '  - local: ci/images.yml',
        '  - remote: https://example.com/ci.yml',
        'variables:',
        '  API_IMAGE: $CI_REGISTRY_IMAGE/chat-api',
        'stages: [build]',
        'build-api:',
        '  stage: build',
        '  script:',
        '    - docker build -t $API_IMAGE:$CI_COMMIT_SHA -f services/api/Dockerfile services/api',
        '    - docker buildx build --push --tag registry.example.com/acme/web:latest ./web',
        'build-worker:',
        '  image: gcr.io/kaniko-project/executor:debug',
        '  script:',
        '    - /kaniko/executor --context $CI_PROJECT_DIR/services/worker --dockerfile $CI_PROJECT_DIR/services/worker/Dockerfile --destination "${CI_REGISTRY_IMAGE}/worker:${CI_COMMIT_TAG}"',
        '.buildah:',
        '  script:',
        '    - cd services/$SERVICE',
        '    - buildah bud -t $CI_REGISTRY_IMAGE/$SERVICE .',
        'build-billing:',
        '  extends: .buildah',
        '  variables:',
        '    SERVICE: billing',
        'build-project-image:',
        '  script:',
        '    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .',
      ].join('\n'),
      'ci/images.yml': 'search:\n  script: docker build -t search .\n',
    })).toEqual([
      'chat-api <- services/api (services/api/Dockerfile) [docker build -t $CI_REGISTRY_IMAGE/chat-api:$CI_COMMIT_SHA in .gitlab-ci.yml:10 ($CI_REGISTRY_IMAGE is set by GitLab at run time: only the last path segment chat-api is matched) (GitLab CI job build-api)] @.gitlab-ci.yml:docker build -t $API_IMAGE:$CI_COMMIT_SHA -f services/api/Dockerfile services/api',
      'web <- web [docker build -t registry.example.com/acme/web:latest in .gitlab-ci.yml:11 (GitLab CI job build-api)] @.gitlab-ci.yml:registry.example.com/acme/web:latest',
      'worker <- services/worker (services/worker/Dockerfile) [kaniko --destination ${CI_REGISTRY_IMAGE}/worker:${CI_COMMIT_TAG} in .gitlab-ci.yml:15 ($CI_REGISTRY_IMAGE is set by GitLab at run time: only the last path segment worker is matched) (GitLab CI job build-worker)] @.gitlab-ci.yml:${CI_REGISTRY_IMAGE}/worker:${CI_COMMIT_TAG}',
      'billing <- services/billing [buildah bud -t $CI_REGISTRY_IMAGE/billing in .gitlab-ci.yml:19 ($CI_REGISTRY_IMAGE is set by GitLab at run time: only the last path segment billing is matched) (GitLab CI job build-billing)] @.gitlab-ci.yml:buildah bud -t $CI_REGISTRY_IMAGE/$SERVICE .',
      'search <- . [docker build -t search in ci/images.yml:2 (GitLab CI job search)] @ci/images.yml:search',
    ]);
  });

  it('reads nothing from a broken workflow, a context outside the workspace, or a name that is an expression', () => {
    expect(builds({
      '.github/workflows/a.yml': 'jobs: [unclosed',
      '.github/workflows/b.yml': 'jobs:\n  x:\n    steps:\n      - run: docker build -t up ../..\n      - run: docker build -t $IMAGE .\n',
    })).toEqual([]);
  });
});

function chainsOfFiles(files: Record<string, string>) {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return chainsOf(capture.model()!);
}

const nginx = `events {}\nhttp {\n  server {\n    listen 80;\n    location /api/ { proxy_pass http://app:3000; }\n  }\n}\n`;
const server = `import express from 'express';\nconst app = express();\napp.post('/api/chat', (req, res) => res.end());\napp.listen(3000);\n`;
const workflow = (context: string) => `jobs:\n  build:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: ${context}\n          tags: ghcr.io/acme/assistant:latest\n`;

describe('linking by an image the workspace builds', () => {
  it('links an image-only compose service to the package CI builds that image from, with that evidence', () => {
    const model = chainsOfFiles({
      'nginx.conf': nginx,
      'docker-compose.yml': 'services:\n  app:\n    image: ghcr.io/acme/assistant:latest\n',
      '.github/workflows/release.yml': workflow('services/chat'),
      'services/chat/package.json': '{ "name": "@acme/chat" }',
      'services/chat/src/server.ts': server,
      'services/admin/package.json': '{ "name": "@acme/admin" }',
      'services/admin/src/server.ts': server,
    });
    const chain = model.chains.find((c) => c.hops[0]!.label.includes('/api/'))!;
    expect(chain.hops.map((h) => h.label)).toContain('POST /api/chat handler');
    expect(chain.hops.flatMap((h) => h.evidence ?? []).map((e) => e.text)).toContain('image assistant is built from services/chat by docker/build-push-action in .github/workflows/release.yml:7');
  });

  it('leaves it unresolved, naming both, when the build context holds two packages', () => {
    const model = chainsOfFiles({
      'nginx.conf': nginx,
      'docker-compose.yml': 'services:\n  app:\n    image: ghcr.io/acme/assistant:latest\n',
      '.github/workflows/release.yml': workflow('services'),
      'services/chat/package.json': '{ "name": "@acme/chat" }',
      'services/chat/src/server.ts': server,
      'services/admin/package.json': '{ "name": "@acme/admin" }',
      'services/admin/src/server.ts': server,
    });
    expect(model.unresolved.map((u) => u.message)).toEqual([expect.stringContaining('services/admin and services/chat could each be image assistant')]);
  });
});
