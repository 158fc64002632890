// Texts an input derives from workspace files (rendered templates, configs embedded in manifests) are read by the other inputs, and what they find is placed back on the workspace files: ranges, related places and fixes.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { applyEdits } from '../../server/src/engine/fix.js';
import { INPUTS } from '../../server/src/engine/inputs/index.js';
import type { DerivedSource, Input } from '../../server/src/engine/inputs/input.js';
import { lint } from '../../server/src/engine/run.js';
import type { FileId } from '../../server/src/engine/types.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

/**
 * A made-up input that embeds nginx configs in `*.wrap` files after a header line, the way a
 * ConfigMap or a template embeds them: it derives the nginx text and maps offsets back by the header's length.
 */
function wrapperInput(options: { copies: boolean; explain?: boolean }): Input {
  const taken: FileId[] = [];
  return {
    id: 'wrap' as never,
    language: 'wrap',
    claim: (file) => (file.endsWith('.wrap') ? 'name' : undefined),
    reader: (context) => ({
      take(file) {
        const decoded = context.readText(file);
        if (!decoded) return;
        context.addSource(file, decoded);
        taken.push(file);
        const header = decoded.text.indexOf('\n') + 1;
        const source: DerivedSource = {
          file: `${file}@embedded/nginx.conf`,
          text: decoded.text.slice(header),
          origin: (start, end) => ({ file, start: start + header, end: end + header }),
          fallback: { file, start: 0, end: header - 1 },
          ...(options.copies ? { copiedFrom: (start: number, end: number) => ({ file, start: start + header, end: end + header }) } : {}),
          ...(options.explain ? { related: () => [{ span: { file, start: 0, end: header - 1 }, message: 'embedded in this wrapper' }] } : {}),
        };
        context.derive(source);
      },
      build: () => taken as never,
    }),
    empty: () => [] as never,
    present: () => taken.length > 0,
  };
}

const HEADER = '# wrapper: an nginx config follows\n';
const NGINX = 'events {}\nhttp {\n  server {\n    listen 80;\n    location /v1/chat/completions {\n      proxy_pass http://127.0.0.1:9000;\n    }\n  }\n}\n';

function run(input: Input, files: Record<string, string>) {
  const fs = new MemoryFs(files);
  return { fs, report: lint({ fs, files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', inputs: [input, ...INPUTS] }) };
}

describe('derived sources', () => {
  it('are read by the input that claims them, and findings land on the workspace file at the same text', () => {
    const { report } = run(wrapperInput({ copies: false }), { 'gw.wrap': HEADER + NGINX });
    const finding = report.findings.find((f) => f.ruleId === 'llm-route-default-read-timeout');
    expect(finding, JSON.stringify(report.findings.map((f) => f.ruleId))).toBeDefined();
    expect(finding!.span.file).toBe('gw.wrap');
    const text = HEADER + NGINX;
    expect(text.slice(finding!.span.start, finding!.span.end)).toContain('location /v1/chat/completions');
    // The made-up name is not a file of the report.
    expect(report.files.map((f) => f.file)).toEqual(['gw.wrap']);
  });

  it('keeps a fix whose edits are verbatim copies of workspace text, mapped there, and the fixed file parses', () => {
    const { report } = run(wrapperInput({ copies: true }), { 'gw.wrap': HEADER + NGINX });
    const finding = report.findings.find((f) => f.ruleId === 'llm-route-default-read-timeout')!;
    expect(finding.fixes.length).toBeGreaterThan(0);
    for (const fix of finding.fixes) for (const edit of fix.edits) expect(edit.file).toBe('gw.wrap');
    const fixed = applyEdits(HEADER + NGINX, finding.fixes[0]!.edits).text;
    expect(fixed.startsWith(HEADER)).toBe(true);
    expect(fixed).toMatch(/proxy_read_timeout \d+s;/);
    const again = run(wrapperInput({ copies: true }), { 'gw.wrap': fixed }).report;
    expect(again.findings.filter((f) => f.ruleId === 'llm-route-default-read-timeout')).toEqual([]);
  });

  it('leaves out fixes it cannot place, and adds what the source says the finding rests on', () => {
    const { report } = run(wrapperInput({ copies: false, explain: true }), { 'gw.wrap': HEADER + NGINX });
    const finding = report.findings.find((f) => f.ruleId === 'llm-route-default-read-timeout')!;
    expect(finding.fixes).toEqual([]);
    expect(finding.related[0]).toEqual({ span: { file: 'gw.wrap', start: 0, end: HEADER.length - 1 }, message: 'embedded in this wrapper' });
    for (const related of finding.related) expect(related.span.file).toBe('gw.wrap');
  });
});
