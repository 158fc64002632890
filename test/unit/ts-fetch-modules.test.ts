// Fetch implementations imported from npm packages that stand for node-fetch on a server, and compose image names read for linking.
import { describe, expect, it } from 'vitest';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { imageName, imageNameCandidate } from '../../server/src/engine/chain/image-name.js';

describe('fetch packages', () => {
  const cases: Array<[string, string, string]> = [
    ['cross-fetch default import', `import fetch from 'cross-fetch';\nawait fetch('http://api/x', { method: 'POST' });`, 'node-fetch POST none'],
    ['cross-fetch named import', `import { fetch } from 'cross-fetch';\nawait fetch('http://api/x');`, 'node-fetch GET none'],
    ['isomorphic-unfetch default import', `import fetch from 'isomorphic-unfetch';\nawait fetch('http://api/x');`, 'node-fetch GET none'],
    ['isomorphic-fetch imported for its global', `import 'isomorphic-fetch';\nawait fetch('http://api/x');`, 'fetch GET none'],
    ['cross-fetch with node-fetch v2 timeout', `import fetch from 'cross-fetch';\nawait fetch('http://api/x', { timeout: 5000 });`, 'node-fetch GET 5000'],
  ];
  it.each(cases)('%s', (_name, source, expected) => {
    const calls = extractTsFacts(parseTsText('src/a.ts', source)).calls;
    expect(calls).toHaveLength(1);
    const totals = calls[0]!.timeouts.filter((t) => t.kind === 'total');
    const total = totals.find((t) => t.source !== 'none') ?? totals[0];
    expect(`${calls[0]!.library} ${calls[0]!.method} ${total?.source === 'none' ? 'none' : total?.ms}`).toBe(expected);
  });
});

describe('image names for linking', () => {
  const cases: Array<[string, { name: string; evidence?: string } | undefined]> = [
    ['ghcr.io/acme/chat-api:1.2', { name: 'chat-api' }],
    ['registry.local:5000/team/web@sha256:abc', { name: 'web' }],
    ['chat', { name: 'chat' }],
    ['${AI_HUB_IMAGE:-ihub-apps:latest}', { name: 'ihub-apps', evidence: 'placeholder default' }],
    ['${IMAGE-ghcr.io/acme/api:1}', { name: 'api', evidence: 'placeholder default' }],
    ['${IMAGE}', undefined],
    ['${IMAGE:-}', undefined],
    ['ghcr.io/acme/${NAME}:1', undefined],
    ['ghcr.io/acme/api:${TAG:-latest}', { name: 'api' }],
  ];
  it.each(cases)('%s', (image, expected) => {
    const candidate = imageNameCandidate(image);
    if (expected === undefined) {
      expect(candidate).toBeUndefined();
      expect(imageName(image)).toBe('');
    } else expect(candidate).toEqual(expected);
  });
});
