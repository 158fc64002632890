// The offline Jinja renderer of Ansible templates: what it prints for known values, the unknown marker for the rest, and where every output range comes from.
import { describe, expect, it } from 'vitest';
import { renderJinja, UNKNOWN, type JinjaScope, type JinjaValue } from '../../server/src/engine/inputs/ansible/jinja.js';
import { RENDERED_UNKNOWN } from '../../server/src/engine/yaml/templates.js';

function scopeOf(values: Record<string, JinjaValue>): JinjaScope {
  return { lookup: (name) => (name in values ? { value: values[name]! } : undefined) };
}

const U = RENDERED_UNKNOWN;
const vars = scopeOf({
  read_timeout: '30s',
  seconds: 300,
  enabled: true,
  disabled: false,
  empty: '',
  upstreams: ['10.0.0.1:8080', '10.0.0.2:8080'],
  nginx: { kind: 'map', entries: new Map<string, JinjaValue>([['read', 120], ['send', '60s']]) },
  inventory_only: UNKNOWN,
  nested: '{{ seconds }}s',
});

describe('renderJinja', () => {
  it.each([
    ['plain variable', 'proxy_read_timeout {{ read_timeout }};', 'proxy_read_timeout 30s;'],
    ['number', 'timeout {{ seconds }}', 'timeout 300'],
    ['boolean prints as Python does', 'x={{ enabled }}', 'x=True'],
    ['attribute and item access', '{{ nginx.read }} {{ nginx["send"] }}', '120 60s'],
    ['default for an undefined name', '{{ missing | default(75) }}', '75'],
    ['default leaves a set value', '{{ seconds | default(1) }}', '300'],
    ['default(x, true) replaces an empty value', '{{ empty | default("60s", true) }}', '60s'],
    ['int and arithmetic', '{{ (seconds | int) * 2 }}', '600'],
    ['concatenation', '{{ seconds ~ "s" }}', '300s'],
    ['inline if', '{{ "on" if enabled else "off" }}', 'on'],
    ['a name no vars file sets prints the unknown marker', 'timeout {{ missing }};', `timeout ${U};`],
    ['a host-dependent name is unknown', '{{ inventory_only }}', U],
    ['a filter it does not know is unknown', '{{ read_timeout | regex_replace("s$", "") }}', U],
    ['a function call is unknown', '{{ lookup("env", "X") }}', U],
    ['comments vanish', 'a{# note #}b', 'ab'],
    ['if with a known condition, trim_blocks removes the newline after tags', '{% if enabled %}\nyes\n{% else %}\nno\n{% endif %}\n', 'yes\n'],
    ['elif', '{% if disabled %}a{% elif seconds > 100 %}b{% else %}c{% endif %}', 'b'],
    ['for over a known list', '{% for u in upstreams %}server {{ u }};\n{% endfor %}', 'server 10.0.0.1:8080;\nserver 10.0.0.2:8080;\n'],
    ['for over a map with loop.index', '{% for k in nginx %}{{ loop.index }}={{ k }} {% endfor %}', '1=read 2=send '],
    ['set', '{% set t = seconds + 5 %}{{ t }}', '305'],
    ['whitespace control', 'a   {{- seconds -}}   b', 'a300b'],
    ['raw', '{% raw %}{{ not rendered }}{% endraw %}', '{{ not rendered }}'],
    ['in', '{{ "10.0.0.1:8080" in upstreams }}', 'True'],
  ])('%s', (_name, template, expected) => {
    const result = renderJinja(template, vars);
    expect(result.failed).toBeUndefined();
    expect(result.output).toBe(expected);
  });

  it('a value that is itself a template is rendered when the scope does it (vars.ts); here the text is printed', () => {
    expect(renderJinja('{{ nested }}', vars).output).toBe('{{ seconds }}s');
  });

  it.each([
    ['an if on a name no vars file sets', '{% if tls_enabled %}listen 443;{% endif %}', /condition `tls_enabled` depends on `tls_enabled`/],
    ['is defined on a name no vars file sets (the inventory may set it)', '{% if extra is defined %}x{% endif %}', /depends on `extra`/],
    ['an include', '{% include "other.j2" %}', /includes, macros and template inheritance/],
    ['an unclosed tag', 'a {{ b', /never closed/],
    ['an if without endif', '{% if enabled %}a', /has no `endif`/],
  ])('does not render %s', (_name, template, reason) => {
    const result = renderJinja(template, vars);
    expect(result.failed?.reason).toMatch(reason);
  });

  it('reads the body of a loop over an unknown list once, with the loop variable unknown, and says so', () => {
    const result = renderJinja("backend api\n{% for host in groups['web'] %}\n    server {{ host }} {{ host }}:80 check\n{% endfor %}\n", vars);
    expect(result.failed).toBeUndefined();
    expect(result.output).toBe(`backend api\n    server ${U} ${U}:80 check\n`);
    expect(result.partial).toHaveLength(1);
    expect(result.partial[0]!.reason).toMatch(/loop over `groups\['web'\]` is read once/);
  });

  it('maps every output range back to the template: copied text exactly, a printed value to its whole expression', () => {
    const template = 'location /chat {\n    proxy_read_timeout {{ read_timeout }};\n}\n';
    const result = renderJinja(template, vars);
    const printed = result.output.indexOf('30s');
    const segment = result.segments.find((s) => s.outStart <= printed && printed < s.outEnd)!;
    expect(segment.kind).toBe('expr');
    if (segment.kind !== 'expr') return;
    expect(template.slice(segment.srcStart, segment.srcEnd)).toBe('{{ read_timeout }}');
    expect(segment.variable).toBe('read_timeout');
    const text = result.segments.find((s) => s.kind === 'text' && s.outStart === 0)!;
    expect(template.slice(text.srcStart, text.srcStart + (text.outEnd - text.outStart))).toBe(result.output.slice(text.outStart, text.outEnd));
  });

  it('never throws on hostile input and bounds its output', () => {
    for (const template of ['{{', '{%', '{{ ( }}', '{{ a | }}', '{% for %}{% endfor %}', '{% set %}', '{{ "\\', '}}{{}}', '{% endif %}', '{{ [1, 2 }}']) {
      expect(() => renderJinja(template, vars)).not.toThrow();
    }
    const big = renderJinja('{% for a in upstreams %}{% for b in upstreams %}{% for c in upstreams %}x{% endfor %}{% endfor %}{% endfor %}', vars);
    expect(big.output).toBe('xxxxxxxx');
    const many = scopeOf({ list: Array.from({ length: 200 }, (_, i) => i) });
    const runaway = renderJinja('{% for a in list %}{% for b in list %}{{ a }}{% endfor %}{% endfor %}', many);
    expect(runaway.failed?.reason).toMatch(/more than 10,000 times/);
  });
});

describe('renderJinja on random input', () => {
  // A seeded generator: the same strings on every run, so a failure can be replayed.
  let seed = 0x2f6b1d;
  const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const PIECES = ['{{', '}}', '{%', '%}', '{#', '#}', '-', ' ', '\n', 'if ', 'for ', 'in ', 'endif', 'endfor', 'else', 'set ', '=', 'x', 'seconds', 'upstreams', 'nginx.read', '|', 'default(', ')', "'", '"', '[', ']', '~', '+', 'proxy_read_timeout ', ';', 'raw', 'endraw', 'loop.index', 'not ', 'and ', 'or ', '0', '42'];

  it('never throws, and every copied stretch of output is the template text it says it comes from', () => {
    for (let run = 0; run < 3000; run++) {
      let template = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) template += PIECES[Math.floor(next() * PIECES.length)];
      const result = renderJinja(template, vars);
      let last = 0;
      for (const segment of result.segments) {
        expect(segment.outStart).toBe(last);
        last = segment.outEnd;
        if (segment.kind === 'text') expect(template.slice(segment.srcStart, segment.srcStart + (segment.outEnd - segment.outStart))).toBe(result.output.slice(segment.outStart, segment.outEnd));
        else expect(template.slice(segment.srcStart, segment.srcStart + 2)).toBe('{{');
      }
      expect(last).toBe(result.output.length);
    }
  });
});
