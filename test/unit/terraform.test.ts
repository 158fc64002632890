// Terraform: the recovering HCL parser (exact spans, never throws), module evaluation (variables with defaults, locals) and the load balancers read from modules.
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../server/src/engine/inputs/terraform/hcl.js';
import { buildTerraformModel, evaluate, attribute } from '../../server/src/engine/inputs/terraform/module.js';
import { loadBalancersOf } from '../../server/src/engine/inputs/terraform/load-balancers.js';
import { terraformLbHop } from '../../server/src/engine/inputs/terraform/hops.js';

const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

function lbs(files: Record<string, string>) {
  const model = buildTerraformModel(Object.entries(files).map(([file, text]) => parseHcl(file, text)));
  return model.modules.flatMap((m) => loadBalancersOf(m));
}

describe('HCL parser', () => {
  it('reads blocks, labels and attributes with exact spans, past comments, heredocs and nested expressions', () => {
    const text = [
      '# a comment',
      'resource "aws_lb" "main" { // trailing',
      '  idle_timeout = 120 # seconds',
      '  tags = {',
      '    Name = "main-${var.env}"',
      '  }',
      '  policy = <<EOF',
      '{ "not": "hcl = {" }',
      'EOF',
      '  subnets = [for s in var.subnets : s.id]',
      '  /* block',
      '     comment */',
      '  access_logs { enabled = false }',
      '}',
      '',
    ].join('\n');
    const { body, problems } = parseHcl('main.tf', text);
    expect(problems).toEqual([]);
    const [lb] = body.blocks;
    expect(lb!.labels.map((l) => at(text, l.span))).toEqual(['"aws_lb"', '"main"']);
    expect(lb!.body.attributes.map((a) => [a.name, a.value.kind, at(text, a.value.span)])).toEqual([
      ['idle_timeout', 'number', '120'],
      ['tags', 'other', '{\n    Name = "main-${var.env}"\n  }'],
      ['policy', 'other', '<<EOF\n{ "not": "hcl = {" }\nEOF'],
      ['subnets', 'other', '[for s in var.subnets : s.id]'],
    ]);
    expect(lb!.body.blocks.map((b) => [b.type, b.body.attributes.map((a) => [a.name, a.value.kind])])).toEqual([['access_logs', [['enabled', 'bool']]]]);
  });

  it('classifies references, old-style interpolated references and plain strings', () => {
    const text = 'a = var.idle\nb = "${aws_lb.main.arn}"\nc = "plain"\nd = "x-${var.y}"\ne = aws_lb_target_group.api[0].arn\n';
    const attrs = parseHcl('x.tf', text).body.attributes;
    expect(attrs.map((a) => (a.value.kind === 'ref' ? a.value.path : a.value.kind === 'string' ? a.value.value : a.value.kind))).toEqual([
      ['var', 'idle'], ['aws_lb', 'main', 'arn'], 'plain', 'other', ['aws_lb_target_group', 'api', 'arn'],
    ]);
  });

  it('recovers from broken lines and unclosed blocks, reporting each, and keeps what is around them', () => {
    const text = 'resource "aws_lb" "a" {\n  idle_timeout = 30\n  ??? garbage\n}\nresource "aws_lb" "b" {\n  idle_timeout = "unclosed\n  port = 80\n';
    const { body, problems } = parseHcl('x.tf', text);
    expect(body.blocks.map((b) => b.labels[1]!.text)).toEqual(['a', 'b']);
    expect(body.blocks[0]!.body.attributes.map((a) => a.name)).toEqual(['idle_timeout']);
    expect(body.blocks[1]!.body.attributes.map((a) => a.name)).toEqual(['idle_timeout', 'port']);
    expect(problems.map((p) => p.message)).toEqual([
      'unexpected "?": an attribute or a block expected',
      'a string is not closed',
      'a block is not closed: "}" expected before the end of the file',
    ]);
  });

  it('never throws and always ends, whatever the text', () => {
    const pieces = ['resource', ' "a"', '{', '}', '=', '"', '${', '<<EOF\n', 'EOF', '#', '//', '/*', '*/', '\n', '[', ']', '(', ')', 'x', '1', ' ', ',', '\\'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const length = next() % 40;
      for (let j = 0; j < length; j++) text += pieces[next() % pieces.length];
      expect(() => parseHcl('fuzz.tf', text)).not.toThrow();
    }
    const deep = 'a {'.repeat(5000);
    expect(parseHcl('deep.tf', deep).problems.some((p) => p.kind === 'not-analysed')).toBe(true);
  });
});

describe('Terraform modules', () => {
  it('evaluates a variable default and a local of the same module, and leaves a variable without default unknown', () => {
    const main = 'resource "aws_lb" "a" {\n  idle_timeout = var.idle\n}\nresource "aws_lb" "b" {\n  idle_timeout = var.unset\n}\nresource "aws_lb" "c" {\n  idle_timeout = local.idle\n}\n';
    const vars = 'variable "idle" {\n  default = 300\n}\nvariable "unset" {\n  type = number\n}\nlocals {\n  idle = "90"\n}\n';
    const model = buildTerraformModel([parseHcl('infra/main.tf', main), parseHcl('infra/variables.tf', vars), parseHcl('other/vars.tf', 'variable "idle" {\n  default = 5\n}\n')]);
    const module = model.modules.find((m) => m.folder === 'infra')!;
    const idle = (name: string) => evaluate(module, attribute(module.resources.find((r) => r.name === name)!.block, 'idle_timeout')!.value);
    expect(idle('a')).toMatchObject({ value: 300, via: 'variable "idle" default', span: { file: 'infra/variables.tf' } });
    expect(idle('b')).toBeUndefined();
    expect(idle('c')).toMatchObject({ value: '90', via: 'local.idle' });
  });

  it('gives each load balancer its timeout: written, unknown when it cannot be evaluated, else the default with its facts section', () => {
    const found = lbs({
      'main.tf': [
        'resource "aws_lb" "set" {\n  idle_timeout = 120\n}',
        'resource "aws_lb" "unknown" {\n  idle_timeout = var.from_tfvars\n}',
        'resource "aws_lb" "nlb" {\n  load_balancer_type = "network"\n}',
        'resource "aws_elb" "classic" {\n  listener {\n    instance_port = 8080\n    lb_port = 80\n    instance_protocol = "http"\n    lb_protocol = "http"\n  }\n}',
        'resource "google_compute_backend_service" "api" {\n  port_name = "web"\n}',
        'resource "google_compute_instance_group" "api" {\n  named_port {\n    name = "web"\n    port = 8081\n  }\n}',
      ].join('\n'),
    });
    const hops = Object.fromEntries(found.map((lb) => [lb.resource.name, terraformLbHop(lb)]));
    expect(Object.keys(hops)).toEqual(['set', 'unknown', 'classic', 'api']);
    expect(hops['set']!.keepAlive).toMatchObject({ ms: 120_000, source: 'set' });
    expect(hops['unknown']!.keepAlive!.ms).toBeUndefined();
    expect(hops['unknown']!.keepAlive).toMatchObject({ source: 'set', text: 'var.from_tfvars' });
    expect(hops['classic']!.keepAlive).toMatchObject({ ms: 60_000, source: 'default', factsRef: '§19' });
    expect(hops['api']!.timeouts[0]).toMatchObject({ kind: 'total', knob: 'google_compute_backend_service.timeout_sec', ms: 30_000, source: 'default', factsRef: '§19' });
    expect(hops['api']!.keepAlive).toMatchObject({ ms: 600_000, factsRef: '§9' });
    expect(found.find((lb) => lb.resource.name === 'classic')!.forwards.map((f) => f.port)).toEqual([8080]);
    expect(found.find((lb) => lb.resource.name === 'api')!.forwards.map((f) => f.port)).toEqual([8081]);
  });

  it('links an ALB without listeners to the module\'s only target group, with evidence, and not when there are two', () => {
    const tg = (name: string, port: number) => `resource "aws_lb_target_group" "${name}" {\n  port = ${port}\n}\n`;
    const [only] = lbs({ 'infra/main.tf': `resource "aws_lb" "web" {}\n${tg('app', 8080)}` });
    expect(only!.forwards).toEqual([expect.objectContaining({ port: 8080 })]);
    expect(only!.forwards[0]!.evidence[0]!.text).toBe('aws_lb.web has no listener in infra, and aws_lb_target_group.app is the module\'s only target group');
    const [two] = lbs({ 'infra/main.tf': `resource "aws_lb" "web" {}\n${tg('a', 8080)}${tg('b', 8081)}` });
    expect(two!.forwards[0]!.port).toBeUndefined();
  });

  it('takes the container port of the ECS service that registers its tasks in the target group', () => {
    const [lb] = lbs({
      'infra/alb.tf': 'resource "aws_lb" "web" {}\nresource "aws_lb_target_group" "t" {\n  port = 80\n  target_type = "ip"\n}\nresource "aws_lb_listener" "l" {\n  load_balancer_arn = aws_lb.web.id\n  default_action {\n    target_group_arn = aws_lb_target_group.t.arn\n  }\n}\n',
      'infra/ecs.tf': 'variable "app_port" {\n  default = 3000\n}\nresource "aws_ecs_service" "app" {\n  load_balancer {\n    target_group_arn = aws_lb_target_group.t.arn\n    container_name   = "app"\n    container_port   = var.app_port\n  }\n}\n',
    });
    expect(lb!.forwards.map((f) => [f.port, f.evidence.map((e) => e.text)])).toEqual([[3000, [
      'aws_lb_listener.l forwards to aws_lb_target_group.t',
      'aws_ecs_service.app registers its containers in aws_lb_target_group.t',
      'port 3000 of aws_ecs_service.app (variable "app_port" default)',
    ]]]);
  });

  it('says why an ALB forwards nowhere it can read', () => {
    const [lb] = lbs({ 'main.tf': 'resource "aws_lb" "web" {}\n' });
    expect(lb!.forwards).toEqual([expect.objectContaining({ unknown: 'no aws_lb_listener in the workspace root forwards aws_lb.web to a target group' })]);
    const [withVar] = lbs({ 'main.tf': 'resource "aws_lb" "web" {}\nresource "aws_lb_target_group" "t" {\n  port = var.port\n}\nresource "aws_lb_listener" "l" {\n  load_balancer_arn = aws_lb.web.arn\n  default_action {\n    target_group_arn = aws_lb_target_group.t.arn\n  }\n}\n' });
    expect(withVar!.forwards).toEqual([expect.objectContaining({ unknown: 'the port of aws_lb_target_group.t cannot be evaluated (a value set outside this module)' })]);
  });
});
