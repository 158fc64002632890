// Where nginx reads less than crossplane (a BOM, Unicode whitespace, a comment ended by a lone CR): we report what nginx rejects, checked against the real `nginx -t`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const NGINX = '/usr/sbin/nginx';
const hasNginx = existsSync(NGINX);
if (!hasNginx) console.warn(`nginx-strict-tokens: ${NGINX} not found, skipping the comparison with the real nginx -t`);

interface Case {
  name: string;
  text: string;
  /** Our problem: its message start, and the text its span covers ('' for a point). */
  problem?: { message: RegExp; at: string; offset: number };
  /** What nginx -t says; undefined when it accepts the file. */
  nginx?: string;
  /** Directive names at the top level of our tree, which follow nginx. */
  top: string[];
}

const CASES: Case[] = [
  {
    name: 'a UTF-8 BOM makes the first directive unknown',
    text: '\ufeffevents {}\n',
    problem: { message: /^the file starts with a UTF-8 byte order mark/, at: 'events', offset: 0 },
    nginx: 'unknown directive "\ufeffevents"',
    top: ['events'],
  },
  {
    name: 'a UTF-8 BOM before a comment makes "#" a directive',
    text: '\ufeff# main config\nevents {}\n',
    problem: { message: /^the file starts with a UTF-8 byte order mark.*"#"/, at: '#', offset: 0 },
    nginx: 'unknown directive "\ufeff#"',
    top: ['events'],
  },
  {
    name: 'a no-break space is part of a directive name',
    text: 'events\u00a0{}\n',
    problem: { message: /^nginx does not read U\+00A0 \(no-break space\) as whitespace/, at: '\u00a0', offset: 6 },
    nginx: 'unknown directive "events\u00a0"',
    top: ['events'],
  },
  {
    name: 'a no-break space joins a directive to its argument',
    text: 'events {}\nhttp {\n    server_tokens\u00a0off;\n}\n',
    problem: { message: /^nginx does not read U\+00A0/, at: '\u00a0', offset: 34 },
    nginx: 'unknown directive "server_tokens\u00a0off"',
    top: ['events', 'http'],
  },
  {
    name: 'a form feed is a token',
    text: 'events {}\n\f\n',
    problem: { message: /^nginx does not read U\+000C \(form feed\) as whitespace/, at: '\f', offset: 10 },
    nginx: 'unexpected end of file, expecting ";" or "}"',
    top: ['events'],
  },
  {
    name: 'a comment in a CR-only file runs to the next line feed and hides the statements after it',
    text: '# main config\revents {}\r',
    problem: { message: /^nginx ends a comment only at a line feed/, at: '\r', offset: 13 },
    nginx: 'no "events" section in configuration',
    top: [],
  },
  {
    name: 'a comment in a CR-only file ends at a later line feed',
    text: 'events {}\r# hidden\rhttp { bad_directive; }\nhttp {}\n',
    problem: { message: /^nginx ends a comment only at a line feed/, at: '\r', offset: 18 },
    top: ['events', 'http'],
  },
  { name: 'CRLF line endings end comments', text: '# main config\r\nevents {}\r\nhttp {}\r\n', top: ['events', 'http'] },
  { name: 'a no-break space inside quotes and comments is text', text: '# a\u00a0b\nevents {}\nhttp { add_header X "a\u00a0b"; }\n', top: ['events', 'http'] },
];

function parse(text: string) {
  const hadBom = text.startsWith('\ufeff');
  const bytes = new TextEncoder().encode(text);
  const config = parseNginxConfig(new MemoryFs({ 'nginx.conf': hadBom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes.subarray(3)]) : bytes }), 'nginx.conf');
  return config.files[0]!;
}

describe('nginx tokenizer corners', () => {
  it.each(CASES)('$name', ({ text, problem, top }) => {
    const file = parse(text);
    const names = file.nodes.flatMap((n) => (n.type === 'directive' ? [n.name] : []));
    expect(names).toEqual(top);
    if (!problem) {
      expect(file.problems).toEqual([]);
      return;
    }
    expect(file.problems).toHaveLength(1);
    const found = file.problems[0]!;
    expect(found.kind).toBe('syntax');
    expect(found.message).toMatch(problem.message);
    expect([found.span.start, file.text.slice(found.span.start, found.span.end)]).toEqual([problem.offset, problem.at]);
  });
});

describe.skipIf(!hasNginx)('the same files, asked of nginx -t', () => {
  const dir = hasNginx ? mkdtempSync(join(tmpdir(), 'timeout-lint-tokens-')) : '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)('$name', ({ name, text, nginx }) => {
    const work = join(dir, name.replace(/\W+/g, '-'));
    mkdirSync(join(work, 'logs'), { recursive: true });
    writeFileSync(join(work, 'nginx.conf'), text);
    // -t parses the configuration and binds nothing.
    const run = spawnSync(NGINX, ['-t', '-q', '-p', work, '-c', join(work, 'nginx.conf'), '-g', `pid ${join(work, 'nginx.pid')};`], { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    if (nginx === undefined) expect([run.status, output]).toEqual([0, '']);
    else {
      expect(run.status).toBe(1);
      expect(output).toContain(nginx);
    }
  });
});
