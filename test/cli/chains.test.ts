// The `chains` formatters over a small in-memory workspace (nginx → Service → Deployment → express → OpenAI), and the command's arguments.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { parseCliArgs } from '../../server/src/cli/args.js';
import { formatChainsDot, formatChainsJson, formatChainsMermaid, formatChainsText, type JsonChains } from '../../server/src/cli/formatters/chains/index.js';
import { dotString, mermaidText } from '../../server/src/cli/formatters/chains/graph.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { timeoutHoverAt } from '../../server/src/lsp/chain-view.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { ChainModel } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const WORKSPACE: Record<string, string> = {
  'nginx/nginx.conf': `events {}
http {
    server {
        listen 80;
        location /api/ {
            proxy_pass http://chat-api:8080;
        }
        location /billing/ {
            proxy_pass http://billing:8080;
            proxy_read_timeout 30s;
        }
    }
}
`,
  'k8s/chat-api.yaml': `apiVersion: v1
kind: Service
metadata:
  name: chat-api
spec:
  selector:
    app: chat-api
  ports:
    - port: 8080
      targetPort: 3000
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: chat-api
spec:
  selector:
    matchLabels:
      app: chat-api
  template:
    metadata:
      labels:
        app: chat-api
    spec:
      containers:
        - name: chat-api
          image: chat-api:1
          ports:
            - containerPort: 3000
`,
  'services/chat-api/package.json': `{ "name": "chat-api", "dependencies": { "express": "^4", "openai": "^4" } }
`,
  'services/chat-api/src/server.ts': `import express from 'express';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = express();

app.post('/api/chat', async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: req.body.messages });
  res.json(completion);
});

app.listen(3000);
`,
};

const EXPECTED_KINDS = ['nginx-location', 'k8s-service', 'workload', 'code-server', 'route-handler', 'outbound-call'];
const EXPECTED_LABELS = [
  'nginx location /api/',
  'Service default/chat-api',
  'Deployment default/chat-api',
  'express server in services/chat-api',
  'POST /api/chat handler',
  'openai chat.completions.create call',
];

function chainsOfWorkspace(files: Record<string, string>): { chains: ChainModel; model: WorkspaceModel } {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  const model = capture.model();
  if (!model) throw new Error('the capture rule did not run');
  return { chains: chainsOf(model), model };
}

const { chains, model } = chainsOfWorkspace(WORKSPACE);
const apiChain = () => chains.chains.find((c) => c.hops[0]?.label === 'nginx location /api/');

describe('the linked chain of the workspace', () => {
  it('links nginx /api/ through the Service, Deployment, express handler to the OpenAI call', () => {
    expect(apiChain()?.hops.map((h) => h.kind)).toEqual(EXPECTED_KINDS);
    expect(apiChain()?.hops.map((h) => h.label)).toEqual(EXPECTED_LABELS);
  });

  it('stops the /billing/ chain at nginx, with the reason listed once', () => {
    expect(chains.unresolved.map((u) => u.from)).toEqual(['nginx location /billing/']);
  });
});

describe('formatChainsText', () => {
  const text = formatChainsText(chains, model, { cwdPrefix: 'ws/' });

  it('lists every hop of the chain in order, with its place', () => {
    const positions = EXPECTED_LABELS.map((label, i) => text.indexOf(`${i + 1}. ${label}  ws/`));
    expect(positions.every((p) => p >= 0), text).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('names each value with its source and the budget figures', () => {
    expect(text).toContain('chain 1: nginx location /api/ → … → openai chat.completions.create call (6 hops)');
    expect(text).toContain('1. nginx location /api/  ws/nginx/nginx.conf:5');
    expect(text).toContain('proxy_read_timeout 60 s (nginx default, timeout-facts §1.3)');
    expect(text).toContain('proxy_read_timeout 30s (set at ws/nginx/nginx.conf:10)');
    expect(text).toContain('gives up after 60 s (proxy_read_timeout)');
    expect(text).toContain('timeout 10 min × 3 attempts (openai default, timeout-facts §13)');
    expect(text).toContain('may take 30 min (timeout 10 min × 3 attempts)');
    expect(text).toContain('[POST, LLM]');
    expect(text).toMatch(/keep-alive keepAliveTimeout .*\(Node default, timeout-facts §11\.1/);
  });

  it('ends with where chains stop and the summary line', () => {
    expect(text).toContain('where chains stop:\n  nginx location /billing/: http://billing:8080 matches no Kubernetes Service');
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 chains linked, 1 link unresolved');
  });

  it('says so when there are no chains', () => {
    expect(formatChainsText({ chains: [], unresolved: [] }, { sources: new Map() })).toBe('no chains found\n\n0 chains linked, 0 links unresolved\n');
  });
});

describe('formatChainsJson', () => {
  const json = JSON.parse(formatChainsJson(chains, model)) as JsonChains;
  const api = json.chains.find((c) => c.hops[0]?.label === 'nginx location /api/')!;

  it('is versioned plain data with the hop kinds in order', () => {
    expect(json.version).toBe(1);
    expect(api.hops.map((h) => h.kind)).toEqual(EXPECTED_KINDS);
  });

  it('gives places, values, sources and budgets of each hop', () => {
    const [gateway, , , server, , call] = api.hops;
    expect(gateway).toMatchObject({ file: 'nginx/nginx.conf', line: 5, column: 9, givesUpAfterMs: 60_000 });
    expect(gateway!.timeouts[0]).toEqual({ kind: 'idle', knob: 'proxy_read_timeout', ms: 60_000, text: '60s', source: 'default', factsRef: '§1.3', perAttempt: true });
    expect(server!.keepAlive).toMatchObject({ knob: 'keepAliveTimeout', source: 'default' });
    expect(call).toMatchObject({ llm: true, method: 'POST', mayTakeMs: 1_800_000, attempts: { count: 3, knob: 'maxRetries', source: 'default', retriesTimeouts: true } });
    expect(call!.givesUpAfterMs).toBeUndefined();
  });

  it('lists the unresolved link on its chain and once at the top level', () => {
    const billing = json.chains.find((c) => c.hops[0]?.label === 'nginx location /billing/')!;
    expect(billing.unresolved).toMatchObject({ from: 'nginx location /billing/', file: 'nginx/nginx.conf', line: 8 });
    expect(json.unresolved).toHaveLength(1);
  });
});

describe('formatChainsMermaid', () => {
  const mermaid = formatChainsMermaid(chains, model);

  it('is a left-to-right flowchart with one edge per link, labelled with the outer timeout', () => {
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('  n1["nginx location /api/<br/>nginx/nginx.conf:5"]');
    expect(mermaid).toContain('  n1 -->|"proxy_read_timeout 60 s"| n2');
    for (let i = 2; i <= 5; i++) expect(mermaid).toMatch(new RegExp(`^  n${i} --> n${i + 1}$`, 'm'));
    expect(mermaid).toMatch(/^ {2}n7 -\.->\|"stops"\| n8$/m);
  });

  it('escapes quotes, brackets and HTML in labels', () => {
    expect(mermaidText('a "b" [c] <d> #e `f` {g} |h|')).toBe('a #quot;b#quot; #91;c#93; #lt;d#gt; #35;e #96;f#96; #123;g#125; #124;h#124;');
  });

  it('draws a hop shared by two chains once', () => {
    const api = apiChain()!;
    const twice: ChainModel = { chains: [api, { hops: api.hops.slice(1) }], unresolved: [] };
    const graph = formatChainsMermaid(twice, model);
    expect(graph.match(/\["Service default\/chat-api/g)).toHaveLength(1);
    expect(graph.match(/ n2 --> n3$/gm)).toHaveLength(1);
  });
});

/** Every quoted string closes, and outside them braces and brackets nest properly. */
function dotIsBalanced(dot: string): boolean {
  const open: string[] = [];
  let quoted = false;
  for (let i = 0; i < dot.length; i++) {
    const c = dot[i]!;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{' || c === '[') open.push(c);
    else if (c === '}' || c === ']') {
      if (open.pop() !== (c === '}' ? '{' : '[')) return false;
    }
  }
  return !quoted && open.length === 0;
}

describe('formatChainsDot', () => {
  const dot = formatChainsDot(chains, model);

  it('is a balanced digraph with quoted ids and labels', () => {
    expect(dot.startsWith('digraph chains {\n  rankdir=LR;\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot).toContain('"n1" -> "n2" [label="proxy_read_timeout 60 s"];');
    expect(dotIsBalanced(dot)).toBe(true);
    expect(dotIsBalanced('digraph { "a [label="x"]; }')).toBe(false);
    expect(dot.match(/^digraph /gm)).toHaveLength(1);
  });

  it('escapes backslashes, quotes and line breaks', () => {
    expect(dotString('a "b" \\c\nd')).toBe('"a \\"b\\" \\\\c\\nd"');
  });
});

describe('chains arguments', () => {
  it('takes the chains formats, text by default', () => {
    expect(parseCliArgs(['chains']).options).toMatchObject({ command: 'chains', chainFormat: 'text', paths: [] });
    expect(parseCliArgs(['chains', '--format', 'mermaid', 'k8s']).options).toMatchObject({ command: 'chains', chainFormat: 'mermaid', paths: ['k8s'] });
    expect(parseCliArgs(['chains', '-f', 'dot']).options?.chainFormat).toBe('dot');
    expect(parseCliArgs(['chains', '-f', 'json']).options?.chainFormat).toBe('json');
  });

  it('refuses lint formats for chains and chains formats for lint, and lint-only flags', () => {
    expect(parseCliArgs(['chains', '--format', 'sarif']).error).toBe('unknown format "sarif" for chains; use one of text, json, mermaid, dot');
    expect(parseCliArgs(['--format', 'mermaid']).error).toBe('unknown format "mermaid"; use one of stylish, json, sarif, github (mermaid is a format of the chains command)');
    expect(parseCliArgs(['chains', '--fix']).error).toBe('--fix does not apply to chains');
  });
});

describe('chains of rendered templates', () => {
  // An Ansible role's HAProxy template: the chain is read from the rendered text, and shown where the template writes it.
  const files = {
    'roles/edge/templates/haproxy.cfg.j2': 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server {{ edge_server_timeout }}\n\nfrontend fe\n    bind :80\n    default_backend be\n\nbackend be\n    server app1 10.0.0.5:8080\n',
    'roles/edge/defaults/main.yml': 'edge_server_timeout: 45s\n',
    'roles/edge/tasks/main.yml': '- name: haproxy config\n  ansible.builtin.template:\n    src: haproxy.cfg.j2\n    dest: /etc/haproxy/haproxy.cfg\n',
  };
  const rendered = chainsOfWorkspace(files);

  it('places hops and timeouts in the template, not in the rendered name', () => {
    const text = formatChainsText(rendered.chains, rendered.model);
    expect(text, text).toContain('roles/edge/templates/haproxy.cfg.j2:11');
    expect(text).toContain('timeout server 45s (inherited from roles/edge/templates/haproxy.cfg.j2:5)');
    expect(text).not.toMatch(/haproxy\.cfg:\d/);
    const json = formatChainsJson(rendered.chains, rendered.model);
    expect(JSON.stringify(json)).not.toMatch(/"file":"roles\/edge\/templates\/haproxy\.cfg"/);
  });

  it('gives the template the editor\'s hover over a value it prints', () => {
    const template = files['roles/edge/templates/haproxy.cfg.j2'];
    const hover = timeoutHoverAt([rendered.model], 'roles/edge/templates/haproxy.cfg.j2', template.indexOf('{{ edge_server_timeout }}') + 3) ?? '';
    expect(hover).toContain('**timeout server** of HAProxy backend be');
    expect(timeoutHoverAt([rendered.model], 'roles/edge/templates/haproxy.cfg', 10)).toBeUndefined();
  });
});
