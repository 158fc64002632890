// A load balancer (Terraform, CloudFormation) whose port no code listens on by its defaults reaches the workspace's one server when that server takes its port from an environment variable nothing in the workspace sets; and servers whose app comes from a module the workspace does not hold.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { Chain } from '../../server/src/engine/chain/chain-types.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

function modelOf(files: Record<string, string>): WorkspaceModel {
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

function findings(files: Record<string, string>) {
  return lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' }).findings;
}

const ALB = `resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
}

resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
`;

const APP = `import express from 'express';\nexport function createApp() {\n  const app = express();\n  app.get('/healthcheck', (req, res) => res.send('ok'));\n  return app;\n}\n`;
const serverTs = (tail = '') => `import { createApp } from './app';\nconst port = process.env.PORT || 3000;\nconst app = createApp();\nconst server = app.listen(port).on('error', (e) => console.error(e));\n${tail}`;
const PACKAGE = '{ "name": "web", "dependencies": { "express": "^4.18.0" } }';
const labels = (chain: Chain) => chain.hops.map((h) => h.label);

describe('a load balancer in front of the one server of the workspace', () => {
  it('reaches the server listening on an environment variable nothing sets, and says why', () => {
    const { chains } = chainsOf(modelOf({ 'infra/alb.tf': ALB, 'package.json': PACKAGE, 'src/app.ts': APP, 'src/server.ts': serverTs() }));
    const chain = chains.find((c) => c.hops[0]!.label.startsWith('ALB'))!;
    expect(labels(chain)).toEqual(['ALB aws_lb.web', 'express server `server` in the workspace root', 'GET /healthcheck handler']);
    const evidence = chain.hops[1]!.evidence?.map((e) => e.text).join('\n') ?? '';
    expect(evidence).toContain('is the only code package in the workspace that serves HTTP; it listens on $PORT (3000 if unset), which nothing in the workspace sets or runs it with, so port 80 is taken to reach it');
  });

  it('reports the Node keep-alive below the ALB idle timeout, and keepAliveTimeout set on the chained server quiets it', () => {
    const base = { 'infra/alb.tf': ALB, 'package.json': PACKAGE, 'src/app.ts': APP };
    expect(findings({ ...base, 'src/server.ts': serverTs() }).map((f) => f.ruleId)).toContain('backend-keepalive-below-proxy-idle');
    expect(findings({ ...base, 'src/server.ts': serverTs('server.keepAliveTimeout = 61_000;\nserver.headersTimeout = 62_000;\n') }).map((f) => f.ruleId)).not.toContain('backend-keepalive-below-proxy-idle');
  });

  it('stays unresolved when a compose service runs the package (its environment says the port), or when the port is a literal', () => {
    const compose = 'services:\n  web:\n    build: .\n';
    const withCompose = chainsOf(modelOf({ 'infra/alb.tf': ALB, 'package.json': PACKAGE, 'src/app.ts': APP, 'src/server.ts': serverTs(), 'compose.yaml': compose }));
    expect(withCompose.unresolved.some((u) => u.message.includes('no code in the workspace listens on port 80'))).toBe(true);
    const literal = chainsOf(modelOf({ 'infra/alb.tf': ALB, 'package.json': PACKAGE, 'src/app.ts': APP, 'src/server.ts': serverTs().replace('process.env.PORT || 3000', '3000') }));
    expect(literal.unresolved.some((u) => u.message.includes('no code in the workspace listens on port 80'))).toBe(true);
  });
});

describe('a server on an app whose factory the workspace does not hold', () => {
  it('is a server of the package\'s one framework, with that evidence', () => {
    const { chains } = chainsOf(modelOf({ 'infra/alb.tf': ALB, 'package.json': PACKAGE, 'src/server.ts': serverTs() }));
    const chain = chains.find((c) => c.hops[0]!.label.startsWith('ALB'))!;
    expect(chain.hops[1]!.label).toBe('express server `server` in the workspace root');
    expect(chain.hops[1]!.evidence?.map((e) => e.text)).toContain('createApp comes from ./app, which is not in the workspace; express is the only server framework package.json depends on');
  });

  it('is no server when the factory module is there and returns no app, or the package depends on two frameworks', () => {
    const notApp = modelOf({ 'package.json': PACKAGE, 'src/app.ts': 'export function createApp() { return { listen() {} }; }\n', 'src/server.ts': serverTs() });
    expect(notApp.ts.files.get('src/server.ts')?.servers ?? []).toEqual([]);
    const two = modelOf({ 'package.json': '{ "name": "web", "dependencies": { "express": "^4", "fastify": "^4" } }', 'src/server.ts': serverTs() });
    expect(two.ts.files.get('src/server.ts')?.servers ?? []).toEqual([]);
  });
});
