// Workspace names that are also Object.prototype members (toString, constructor, __proto__, …) must neither crash a rule nor change any result.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { loadConfigText } from '../../server/src/engine/config.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { listFilesRecursively } from '../helpers/fixture-fs.js';
import * as fs from 'node:fs';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/**
 * Names in the examples workspace, each replaced everywhere (file paths too) by a token; a token
 * becomes a prototype member name in the hostile copy and a harmless name in the control copy.
 * Longest first, so `summarise-api` is not caught by a shorter name.
 */
const NAMES: [original: string, hostile: string][] = [
  ['summarise-api', 'constructor'],
  ['summarise_api', 'isPrototypeOf'],
  ['llm-platform', 'hasOwnProperty'],
  ['OPENAI_TIMEOUT_MS', '__defineSetter__'],
  ['OPENAI_BASE_URL', '__defineGetter__'],
  ['LLM_TIMEOUT_MS', 'propertyIsEnumerable'],
  ['USER_API_URL', '__lookupSetter__'],
  ['app.kubernetes.io/name', '__lookupGetter__'],
  ['chat-api', 'toString'],
  ['chat_api', 'valueOf'],
  ['user-api', '__proto__'],
  ['user_api', 'toLocaleString'],
];

/** Extra files with names in every other place a workspace can put one. */
const EXTRA_FILES: Record<string, string> = {
  'compose/docker-compose.yml': `services:
  ⟦0⟧:
    build: ../services/⟦0⟧
    environment:
      ⟦5⟧: "5000"
      ⟦4⟧: http://⟦8⟧:3000
    ports: ["8080:3000"]
  ⟦8⟧:
    build:
      context: ../services/⟦8⟧
    environment:
      - ⟦3⟧=1000
  ⟦10⟧:
    image: ⟦10⟧:1
`,
  'k8s/names.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟦8⟧
  namespace: ⟦2⟧
  labels:
    ⟦7⟧: ⟦8⟧
    ⟦0⟧: ⟦10⟧
  annotations:
    ⟦1⟧: "1"
data:
  ⟦0⟧: "x"
  ⟦10⟧: "y"
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ⟦10⟧
  namespace: ⟦2⟧
  annotations:
    ⟦8⟧: "1"
    nginx.ingress.kubernetes.io/⟦0⟧: "2"
    nginx.ingress.kubernetes.io/proxy-read-timeout: "30s"
    konghq.com/⟦10⟧: "3"
spec:
  ingressClassName: ⟦0⟧
  rules:
    - host: ⟦8⟧.example.com
      http:
        paths:
          - path: /⟦0⟧
            pathType: Prefix
            backend:
              service:
                name: ⟦8⟧
                port:
                  name: ⟦10⟧
---
apiVersion: v1
kind: Service
metadata:
  name: ⟦10⟧
  namespace: ⟦0⟧
spec:
  selector:
    ⟦0⟧: ⟦8⟧
  ports:
    - name: ⟦10⟧
      port: 80
      targetPort: ⟦9⟧
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ⟦1⟧
  namespace: ⟦0⟧
  annotations: { ⟦10⟧: "x" }
spec:
  selector: { matchLabels: { ⟦0⟧: ⟦8⟧ } }
  template:
    metadata: { labels: { ⟦0⟧: ⟦8⟧ } }
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: ⟦1⟧
          image: ⟦1⟧:1
          ports: [{ name: ⟦9⟧, containerPort: 3000 }]
          env:
            - name: ⟦4⟧
              valueFrom: { configMapKeyRef: { name: ⟦8⟧, key: ⟦0⟧ } }
            - name: ⟦5⟧
              value: "http://⟦10⟧"
          envFrom: [{ configMapRef: { name: ⟦8⟧ } }]
          readinessProbe: { httpGet: { path: /, port: ⟦9⟧ }, periodSeconds: 5, timeoutSeconds: 10 }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ⟦0⟧
  namespace: ⟦2⟧
spec:
  parentRefs:
    - name: ⟦8⟧
  hostnames: ["⟦10⟧.example.com"]
  rules:
    - matches:
        - path: { type: PathPrefix, value: /⟦0⟧ }
      backendRefs:
        - name: ⟦8⟧
          port: 80
      timeouts:
        request: 10s
        backendRequest: 20s
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ⟦8⟧
  namespace: ⟦2⟧
spec:
  gatewayClassName: ⟦0⟧
  listeners: [{ name: ⟦10⟧, port: 80, protocol: HTTP }]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ⟦10⟧
  namespace: ⟦2⟧
spec:
  hosts: [⟦8⟧]
  http:
    - name: ⟦0⟧
      route:
        - destination: { host: ⟦8⟧, subset: ⟦10⟧ }
      timeout: 5s
      retries: { attempts: 3, perTryTimeout: 2s }
`,
  'nginx/conf.d/names.conf': `upstream ⟦10⟧ {
    server ⟦8⟧.⟦2⟧.svc.cluster.local:80;
}

server {
    listen 8081;
    server_name ⟦0⟧ ⟦8⟧.example.com;

    location /⟦10⟧ {
        proxy_pass http://⟦10⟧;
        proxy_read_timeout 5s;
    }

    location /⟦9⟧ {
        proxy_pass http://⟦8⟧:80;
    }

    ⟦1⟧ {
        proxy_read_timeout 1s;
    }
}
`,
  'services/⟦10⟧/package.json': `{ "name": "⟦10⟧", "dependencies": { "⟦0⟧": "^1", "⟦1⟧": "^2", "openai": "^4" }, "scripts": { "⟦8⟧": "x" } }
`,
  'services/⟦10⟧/index.js': `const OpenAI = require('openai');
const client = new OpenAI({ timeout: 1000, ⟦0⟧: 1 });
class ⟦1⟧ {
  run() { return client.chat.completions.create({ model: 'x', messages: [] }); }
}
const api = { ⟦8⟧() { return new ⟦1⟧().run(); }, ⟦10⟧: { ⟦0⟧: 1 } };
function ⟦9⟧(⟦0⟧) { return fetch('http://⟦8⟧/' + ⟦0⟧); }
module.exports = { ⟦1⟧, ⟦9⟧, [\`⟦8⟧\`]: 1 };
`,
  'services/⟦8⟧/src/names.ts': `import axios from 'axios';
import { ⟦0⟧ } from '⟦10⟧';

const limits: Record<string, number> = { ⟦0⟧: 1000, ⟦8⟧: 2000 };
const ⟦9⟧ = process.env.⟦5⟧ ?? 'http://⟦8⟧:3000';

// Object literal members, not class members: a class may not have a field or async method named "constructor".
export const ⟦6⟧ = {
  ⟦0⟧: 1,
  async ⟦8⟧(url: string) { return axios.get(url, { timeout: 0, ⟦1⟧: 2 }); },
};

export async function ⟦11⟧(name: string) {
  await fetch(process.env.⟦4⟧ + '/⟦10⟧');
  await axios.get(⟦9⟧, { timeout: limits[name] });
  return ⟦0⟧;
}
`,
};

/** Same case pattern and length, other letters: a case-insensitive lookup treats both copies alike. */
function controlName(hostile: string): string {
  return hostile.replace(/[a-zA-Z]/g, (c) => String.fromCharCode(c <= 'Z' ? ((c.charCodeAt(0) - 65 + 7) % 26) + 65 : ((c.charCodeAt(0) - 97 + 7) % 26) + 97));
}

function tokenised(): Map<string, string> {
  const files = new Map<string, string>();
  const tokenise = (text: string) => NAMES.reduce((out, [original], index) => out.split(original).join(`⟦${index}⟧`), text);
  for (const file of listFilesRecursively(EXAMPLES, (relative) => relative.startsWith('clean'))) {
    files.set(tokenise(file), tokenise(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')));
  }
  for (const [file, text] of Object.entries(EXTRA_FILES)) files.set(file, text);
  return files;
}

function instantiate(files: Map<string, string>, names: readonly string[]): { fs: MemoryFs; texts: Map<string, string> } {
  const fill = (text: string) => text.replace(/⟦(\d+)⟧/g, (_m, index: string) => names[Number(index)]!);
  const texts = new Map<string, string>();
  for (const [file, text] of files) texts.set(fill(file), fill(text));
  const memory = new MemoryFs();
  for (const [file, text] of texts) memory.write(file, text);
  return { fs: memory, texts };
}

function lintCopy(names: readonly string[]): LintReport {
  const { fs: memory, texts } = instantiate(tokenised(), names);
  const { config, problems } = loadConfigText(texts.get('timeout-lint.config.json'), allRules);
  expect(problems).toEqual([]);
  return lint({ fs: memory, files: memory.list(), config, rules: allRules, toolVersion: 'test' });
}

/** A finding as text, with the copy's names put back to tokens, so the two copies compare. */
function comparable(report: LintReport, names: readonly string[]): string[] {
  const back = (text: string) => names.reduce((out, name, index) => out.split(name).join(`⟦${index}⟧`), text);
  return report.findings.map((f) => back(`${f.span.file} ${f.ruleId} ${f.messageId} ${f.message} | ${f.related.map((r) => `${r.span.file}: ${r.message}`).join(' | ')}`)).sort();
}

const HOSTILE = NAMES.map(([, hostile]) => hostile);

/**
 * Every rotation of the hostile names over the slots, so each name is tried as a Deployment, a
 * namespace, a label key, an env var, an upstream and so on.
 */
const ROTATIONS = HOSTILE.map((_, shift) => HOSTILE.map((__, index) => HOSTILE[(index + shift) % HOSTILE.length]!));

describe.each(ROTATIONS.map((names, rotation) => ({ rotation, names })))('names that are Object.prototype members (rotation $rotation)', ({ names }) => {
  const controlNames = names.map(controlName);
  const hostile = lintCopy(names);
  const control = lintCopy(controlNames);

  it('the control names are distinct, as long as the hostile ones and no prototype member', () => {
    expect(new Set(controlNames).size).toBe(controlNames.length);
    for (const [index, name] of controlNames.entries()) {
      expect(name.length).toBe(names[index]!.length);
      expect(name in {}).toBe(false);
    }
  });

  it('crash no rule', () => {
    expect(hostile.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([]);
    expect(hostile.notAnalysed.length).toBe(control.notAnalysed.length);
  });

  it('change no result: the same findings as with ordinary names', () => {
    expect(control.findings.length).toBeGreaterThan(10);
    expect(comparable(hostile, names)).toEqual(comparable(control, controlNames));
  });

  it('link the same chains', () => {
    expect(hostile.chains).toEqual(control.chains);
    expect(hostile.chains?.linked).toBeGreaterThan(0);
  });
});

it('leaves Object.prototype alone', () => {
  for (const names of ROTATIONS.slice(0, 2)) lintCopy(names);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
  expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString);
  expect(Object.keys(Object.prototype)).toEqual([]);
});

it('maps a workload to its code by own keys of chains.services only, whatever object the front end passes', () => {
  const { fs: memory, texts } = instantiate(tokenised(), HOSTILE);
  const { config } = loadConfigText(texts.get('timeout-lint.config.json'), allRules);
  // A plain object, as a front end may build from editor settings: its prototype has toString, constructor, ….
  config.chains.services = { unrelated: 'services/web' };
  const report = lint({ fs: memory, files: memory.list(), config, rules: allRules, toolVersion: 'test' });
  expect(report.findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message)).toEqual([]);
});
