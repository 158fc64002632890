// The parse cache reuses parsed YAML only while a file's text is unchanged: findings stay exactly the same.
import { expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint, ParseCache } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const ingress = (timeout: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: chat
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "${timeout}"
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /v1/chat/completions
            pathType: Prefix
            backend:
              service: { name: chat, port: { number: 80 } }
`;

it('gives the same findings with and without the cache, and sees edits', () => {
  const fs = new MemoryFs({ 'k8s/ingress.yaml': ingress('300s') });
  const cache = new ParseCache();
  const run = (parseCache?: ParseCache) =>
    lint({ fs, files: ['k8s/ingress.yaml'], config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', parseCache }).findings.map((f) => `${f.ruleId} ${f.message}`);
  const uncached = run();
  expect(uncached.some((f) => f.startsWith('ingress-nginx-annotation-unit'))).toBe(true);
  expect(run(cache)).toEqual(uncached);
  expect(run(cache)).toEqual(uncached);
  fs.write('k8s/ingress.yaml', ingress('300'));
  expect(run(cache)).toEqual(run());
  expect(run(cache).some((f) => f.startsWith('ingress-nginx-annotation-unit'))).toBe(false);
});
