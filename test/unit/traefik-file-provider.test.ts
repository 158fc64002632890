// Traefik's file provider: providers.file.filename / directory of the static configuration (YAML, TOML, compose flags) name the dynamic files, resolved inside the workspace (relative to the static file, or through the Traefik container's compose bind mount), never guessed.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { parseYamlFile } from '../../server/src/engine/yaml/file.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { composeBindMounts, providerDirectoryFiles, resolveProviderPath, type BindMount } from '../../server/src/engine/inputs/traefik/provider.js';
import { traefikTomlFacts, traefikYamlFacts } from '../../server/src/engine/inputs/traefik/file.js';
import type { ConfigScalar } from '../../server/src/engine/inputs/traefik/tree.js';

const scalar = (text: string): ConfigScalar => ({ kind: 'scalar', text, span: { file: 'traefik/traefik.yml', start: 0, end: text.length }, unresolved: false });

describe('static configuration', () => {
  it('reads providers.file.directory and filename with their places, in YAML and TOML', () => {
    const yaml = 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik/dynamic\n    watch: true\n';
    const found = traefikYamlFacts(parseYamlFile('traefik.yml', yaml)).facts.statics[0]!;
    expect(found.fileProvider?.directory?.text).toBe('/etc/traefik/dynamic');
    expect(yaml.slice(found.fileProvider!.directory!.span.start, found.fileProvider!.directory!.span.end)).toBe('/etc/traefik/dynamic');
    const toml = '[providers.file]\n  filename = "dynamic.toml"\n';
    const fromToml = traefikTomlFacts('traefik.toml', toml).facts.statics[0]!;
    expect(fromToml.fileProvider?.filename?.text).toBe('dynamic.toml');
    expect(toml.slice(fromToml.fileProvider!.filename!.span.start, fromToml.fileProvider!.filename!.span.end)).toBe('dynamic.toml');
    expect(fromToml.entryPoints).toEqual([]);
  });
});

describe('composeBindMounts', () => {
  const compose = [
    'services:',
    '  proxy:',
    '    image: traefik:v3.1',
    '    volumes:',
    '      - ./traefik/dynamic:/etc/traefik/dynamic:ro',
    '      - /var/run/docker.sock:/var/run/docker.sock:ro',
    '      - letsencrypt:/letsencrypt',
    '      - config/static.yml:/etc/traefik/traefik.yml',
    '      - type: bind',
    '        source: ../shared/rules',
    '        target: /rules/',
    'volumes:',
    '  letsencrypt: {}',
    '',
  ].join('\n');

  it('places relative host paths against the compose file, keeps absolute paths and named volumes without a source', () => {
    const mounts = composeBindMounts(parseYamlFile('deploy/compose.yml', compose), 'proxy');
    expect(mounts.map((m) => [m.sourceText, m.source, m.target])).toStrictEqual([
      ['./traefik/dynamic', 'deploy/traefik/dynamic', '/etc/traefik/dynamic'],
      ['/var/run/docker.sock', undefined, '/var/run/docker.sock'],
      ['letsencrypt', undefined, '/letsencrypt'],
      ['config/static.yml', 'deploy/config/static.yml', '/etc/traefik/traefik.yml'],
      ['../shared/rules', 'shared/rules', '/rules'],
    ]);
  });
});

describe('resolveProviderPath', () => {
  const mounts: BindMount[] = [
    { sourceText: './traefik', source: 'traefik', target: '/etc/traefik', span: { file: 'compose.yml', start: 0, end: 0 } },
    { sourceText: './rules', source: 'rules', target: '/etc/traefik/dynamic', span: { file: 'compose.yml', start: 0, end: 0 } },
    { sourceText: '/srv/certs', target: '/certs', span: { file: 'compose.yml', start: 0, end: 0 } },
  ];
  const present = new Set(['traefik/dynamic.yml', 'rules', 'traefik/conf']);
  const exists = (path: string) => present.has(path);

  it('resolves a relative path against the static file\'s folder', () => {
    expect(resolveProviderPath(scalar('dynamic.yml'), 'file', 'traefik/traefik.yml', undefined, exists)).toStrictEqual({ kind: 'file', path: 'traefik/dynamic.yml' });
  });

  it('maps a container path through the bind mount with the longest target', () => {
    expect(resolveProviderPath(scalar('/etc/traefik/dynamic/'), 'directory', 'compose.yml', mounts, exists)).toMatchObject({ kind: 'directory', path: 'rules', mount: { sourceText: './rules' } });
    expect(resolveProviderPath(scalar('/etc/traefik/conf'), 'directory', 'compose.yml', mounts, exists)).toMatchObject({ kind: 'directory', path: 'traefik/conf' });
  });

  it('gives the reason instead of a guess: no mount, a host path, a placeholder, a missing file, a climb out', () => {
    const reason = (value: string, m: BindMount[] | undefined, kind: 'file' | 'directory' = 'directory') => {
      const resolved = resolveProviderPath(scalar(value), kind, 'traefik/traefik.yml', m, exists);
      return resolved.kind === 'unresolved' ? resolved.reason : `resolved to ${resolved.path}`;
    };
    expect(reason('/etc/traefik/dynamic', undefined)).toContain('no compose service in the workspace runs this configuration');
    expect(reason('/opt/dynamic', mounts)).toContain('none of its compose volumes mounts');
    expect(reason('/certs/dynamic.yml', mounts, 'file')).toContain('mounted from /srv/certs, outside the workspace');
    expect(reason('${TRAEFIK_DYNAMIC}', mounts)).toContain('placeholder');
    expect(reason('/etc/traefik/missing.yml', mounts, 'file')).toContain('traefik/missing.yml in the workspace, which holds no such file');
    expect(reason('../../etc', undefined)).toContain('climbs out of the workspace');
  });
});

describe('providerDirectoryFiles', () => {
  it('lists .yml, .yaml and .toml files in the folder and its subfolders, as Traefik loads them', () => {
    const tree: Record<string, Array<{ name: string; directory: boolean }>> = {
      dyn: [{ name: 'routers.yml', directory: false }, { name: 'README.md', directory: false }, { name: 'tls', directory: true }, { name: 'a.TOML', directory: false }],
      'dyn/tls': [{ name: 'certs.yaml', directory: false }, { name: 'notes.txt', directory: false }],
    };
    expect(providerDirectoryFiles('dyn', (dir) => tree[dir])).toStrictEqual(['dyn/a.TOML', 'dyn/routers.yml', 'dyn/tls/certs.yaml']);
  });
});

const API = {
  'api/package.json': '{ "name": "api", "engines": { "node": "22.x" }, "dependencies": { "express": "^4.21.0" } }\n',
  'api/server.js': [
    "const express = require('express');",
    'const app = express();',
    "app.get('/api/report', async (req, res) => {",
    "  const r = await fetch('https://reports.example.com/run', { signal: AbortSignal.timeout(90_000) });",
    '  res.json(await r.json());',
    '});',
    'const server = app.listen(3000);',
    'server.keepAliveTimeout = 120_000;',
    '',
  ].join('\n'),
};

// Dotted TOML keys: not a file the content check takes as Traefik's on its own.
const DYNAMIC = 'http.routers.api.rule = "PathPrefix(`/api`)"\nhttp.routers.api.service = "api"\nhttp.services.api.loadBalancer.servers = [{ url = "http://api:3000" }]\n';

function linked(files: Record<string, string>) {
  const fs = new MemoryFs(files);
  const capture = createModelCapture();
  const report = lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  return { report, model: capture.model()! };
}

describe('dynamic files loaded through the file provider', () => {
  const STATIC = 'entryPoints:\n  web:\n    address: ":80"\n    transport:\n      respondingTimeouts:\n        writeTimeout: 30s\nproviders:\n  file:\n    directory: /etc/traefik/dynamic\n';
  const COMPOSE = 'services:\n  traefik:\n    image: traefik:v3.1\n    volumes:\n      - ./traefik/traefik.yml:/etc/traefik/traefik.yml:ro\n      - ./traefik/dynamic:/etc/traefik/dynamic:ro\n  api:\n    build: ./api\n';

  it('reads a dynamic file the content check would not take, links its router to the entry point and says how it was found', () => {
    const files = { ...API, 'docker-compose.yml': COMPOSE, 'traefik/traefik.yml': STATIC, 'traefik/dynamic/api.toml': DYNAMIC };
    const { report, model } = linked(files);
    const chain = chainsOf(model).chains.find((c) => c.hops[0]!.label === 'Traefik router api@file')!;
    expect(chain.hops.map((h) => h.label)).toStrictEqual(['Traefik router api@file', 'compose service api', 'express server `server` in api', 'GET /api/report handler', 'fetch GET https://reports.example.com/run']);
    const router = chain.hops[0]!;
    expect(files['traefik/dynamic/api.toml'].slice(router.span.start, router.span.end)).toBe('api');
    const write = router.timeouts.find((t) => t.knob === 'respondingTimeouts.writeTimeout')!;
    expect([write.ms, write.source, write.span?.file]).toStrictEqual([30_000, 'set', 'traefik/traefik.yml']);
    expect(router.evidence?.map((e) => [e.text, e.span?.file])).toStrictEqual([["Traefik's file provider (providers.file.directory /etc/traefik/dynamic, mounted from ./traefik/dynamic)", 'traefik/traefik.yml']]);
    expect(report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner').map((f) => f.span.file)).toStrictEqual(['traefik/traefik.yml']);
    expect(report.findings.filter((f) => f.ruleId === 'not-analysed')).toStrictEqual([]);
  });

  it('takes the entry points of the Traefik that loads the file when the workspace holds two', () => {
    const other = 'entryPoints:\n  web:\n    address: ":80"\n    transport:\n      respondingTimeouts:\n        writeTimeout: 5s\n';
    const files = { ...API, 'docker-compose.yml': COMPOSE, 'traefik/traefik.yml': STATIC, 'traefik/dynamic/api.toml': DYNAMIC, 'staging/traefik.yml': other };
    const { model } = linked(files);
    const router = chainsOf(model).chains.find((c) => c.hops[0]!.label === 'Traefik router api@file')!.hops[0]!;
    expect(router.timeouts.filter((t) => t.knob === 'respondingTimeouts.writeTimeout').map((t) => t.text)).toStrictEqual(['30s']);
  });

  it('follows compose flags through the same service\'s volumes', () => {
    const compose = 'services:\n  traefik:\n    image: traefik:v3.1\n    command:\n      - --entrypoints.web.address=:80\n      - --providers.file.filename=/config/dynamic.toml\n    volumes:\n      - ./config:/config\n  api:\n    build: ./api\n';
    const { model } = linked({ ...API, 'docker-compose.yml': compose, 'config/dynamic.toml': DYNAMIC });
    expect(model.traefik.providerLoads.get('config/dynamic.toml')?.kind).toBe('file');
    expect(model.traefik.routers.map((r) => r.name)).toStrictEqual(['api']);
  });

  it('lists a path it cannot follow as not analysed, with the reason, on the setting', () => {
    const files = { ...API, 'traefik.yml': 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik/conf.d\n' };
    const { report } = linked(files);
    const notes = report.findings.filter((f) => f.ruleId === 'not-analysed');
    expect(notes.map((f) => [f.span.file, files['traefik.yml'].slice(f.span.start, f.span.end)])).toStrictEqual([['traefik.yml', '/etc/traefik/conf.d']]);
    expect(notes[0]!.message).toContain('is a path in Traefik\'s container, and no compose service in the workspace runs this configuration');
  });

  it('follows neither path when filename and directory are both set (mutually exclusive), and says so', () => {
    const files = { ...API, 'traefik.yml': 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    filename: dynamic.toml\n    directory: dynamic\n', 'dynamic.toml': DYNAMIC };
    const { report, model } = linked(files);
    expect(model.traefik.providerLoads.size).toBe(0);
    expect(report.findings.filter((f) => f.ruleId === 'not-analysed').map((f) => f.message).join('\n')).toContain('both set');
  });

  it('never reads outside the workspace: a path that climbs out is a reason, not a read', () => {
    const files = { ...API, 'traefik.yml': 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    filename: ../../etc/dynamic.yml\n' };
    const { report } = linked(files);
    expect(report.findings.filter((f) => f.ruleId === 'not-analysed').map((f) => f.message).join('\n')).toContain('climbs out of the workspace');
  });
});
