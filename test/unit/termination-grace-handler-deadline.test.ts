// termination-grace-below-request-time and the handler's own deadline: a request the pod's code answers by a race or an interceptor is over by then, whatever the call behind it may take.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const manifest = `apiVersion: v1
kind: Service
metadata:
  name: reports
spec:
  selector:
    app: reports
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: reports
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "900"
spec:
  ingressClassName: nginx
  rules:
    - host: reports.example.com
      http:
        paths:
          - path: /reports
            pathType: Prefix
            backend:
              service:
                name: reports
                port:
                  number: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reports
spec:
  selector:
    matchLabels:
      app: reports
  template:
    metadata:
      labels:
        app: reports
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: reports
          image: ghcr.io/example/reports:1.0
          ports:
            - containerPort: 8080
`;

const files = (handlerBody: string): Record<string, string> => ({
  'k8s/reports.yaml': manifest,
  'services/reports/package.json': '{ "name": "reports", "private": true, "dependencies": { "express": "^4.19.0" } }',
  'services/reports/src/server.ts': `import express from 'express';
const app = express();
app.get('/reports/:id', async (req, res) => {
${handlerBody}
});
app.listen(8080);
`,
});

const graceFindings = (f: Record<string, string>) =>
  lint({ fs: new MemoryFs(f), files: Object.keys(f), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' }).findings
    .filter((x) => x.ruleId === 'termination-grace-below-request-time').map((x) => x.message);

const call = "  const work = fetch(`https://warehouse.example.net/reports/${req.params.id}`, { signal: AbortSignal.timeout(600_000) }).then((r) => r.json());";
const race = (ms: string) => `${call}\n  const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), ${ms}));\n  res.json(await Promise.race([work, late]));`;

describe('termination-grace-below-request-time behind a handler deadline', () => {
  it('reports the call (5 min to its headers) when the handler waits for it', () => {
    expect(graceFindings(files(`${call}\n  res.json(await work);`))[0]).toMatch(/^Deployment reports gets 60 s to shut down; its requests may take 5 min\./);
  });

  it('is quiet when the handler answers within 20 s by its own race', () => {
    expect(graceFindings(files(race('20_000')))).toEqual([]);
  });

  it('counts the race when it is longer than the grace period, and says it cut the call', () => {
    const [message] = graceFindings(files(race('90_000')));
    expect(message).toMatch(/^Deployment reports gets 60 s to shut down; its requests may take 90 s\./);
    expect(message).toMatch(/GET \/reports\/:id handler gives up after Promise\.race timer 90 s, .*before fetch GET/);
  });
});
