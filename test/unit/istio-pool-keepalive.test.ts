// The Envoy in front of a VirtualService route pools idle connections to the backend for the
// DestinationRule's connectionPool.http.idleTimeout (1 h by default, facts §5): a Node server
// closing them first is reported by backend-keepalive-below-proxy-idle.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const mesh = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
  namespace: shop
spec:
  hosts: ["api.example.com"]
  gateways: ["shop-gateway"]
  http:
    - route:
        - destination:
            host: api
            port:
              number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: 3000
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0
          ports:
            - containerPort: 3000
`;
const server = (keepAlive = '') => `import express from 'express';\nconst app = express();\napp.get('/orders', (req, res) => res.json([]));\nconst server = app.listen(3000);\n${keepAlive}`;
const rule = (host: string, idle: string) => `---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: pools\n  namespace: shop\nspec:\n  host: "${host}"\n  trafficPolicy:\n    connectionPool:\n      http:\n        idleTimeout: ${idle}\n`;

function keepAliveFindings(manifests: string, code = server()) {
  const files = { 'k8s/mesh.yaml': manifests, 'api/package.json': '{ "name": "api", "engines": { "node": "20.x" } }', 'api/src/server.ts': code };
  const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
  return report.findings.filter((f) => f.ruleId === 'backend-keepalive-below-proxy-idle').map((f) => f.message.split('. ')[0]);
}

describe('Istio connection pools in front of a Node server', () => {
  it('without a DestinationRule, the 1 h default pool outlives Node 20 s 5 s keep-alive', () => {
    expect(keepAliveFindings(mesh)).toEqual(['Server keep-alive 5 s; VirtualService api reuses idle connections for 60 min']);
  });

  it.each([
    ['an exact host', 'api.shop.svc.cluster.local', '3s', []],
    ['a namespace wildcard', '*.shop.svc.cluster.local', '3s', []],
    ['a short name in its namespace', 'api', '90s', ['Server keep-alive 5 s; VirtualService api reuses idle connections for 90 s']],
    ['another namespace does not apply', '*.other.svc.cluster.local', '3s', ['Server keep-alive 5 s; VirtualService api reuses idle connections for 60 min']],
  ])('a DestinationRule for %s sets the pool', (_name, host, idle, expected) => {
    expect(keepAliveFindings(mesh + rule(host, idle))).toEqual(expected);
  });

  it('a server keep-alive above the pool idle timeout is quiet', () => {
    expect(keepAliveFindings(mesh + rule('api', '30s'), server('server.keepAliveTimeout = 61_000;\n'))).toEqual([]);
  });
});
