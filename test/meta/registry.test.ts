// Meta-tests over the rule registry: files, docs and registry agree, and doc examples do what they claim.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { buildConfigSchema, defaultConfig } from '../../server/src/engine/config.js';
import { ENGINE_DIAGNOSTICS } from '../../server/src/engine/engine-diagnostics.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const RULES_DIR = path.resolve(__dirname, '../../rules');
const REQUIRED_SECTIONS = ['What it checks', 'Why it matters', 'Examples', 'Fix', 'Options', 'When not to use it', 'References'];
const documented = [...allRules.map((r) => ({ id: r.id, description: r.description, severity: r.defaultSeverity, fixable: r.fixable })),
  ...ENGINE_DIAGNOSTICS.map((d) => ({ id: d.id, description: d.description, severity: d.defaultSeverity, fixable: d.fixable }))];

describe('rule registry', () => {
  it('lists every rules/<id>.ts file exactly once, in id order', () => {
    const files = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();
    const ids = allRules.map((r) => r.id);
    expect(ids).toEqual(files);
    expect(ids).toEqual([...ids].sort());
  });

  it('has a doc for every rule and engine diagnostic, and no orphan docs', () => {
    const docs = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, '')).sort();
    expect(docs).toEqual(documented.map((d) => d.id).sort());
  });

  it('uses kebab-case ids and sentence descriptions', () => {
    for (const rule of documented) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description).toMatch(/^[A-Z`].*\.$/);
    }
  });

  it('describes every option in the options schema and gives it a default', () => {
    for (const rule of allRules) {
      for (const [name, property] of Object.entries(rule.options.schema.properties)) {
        expect(property.description, `${rule.id}.${name}`).toMatch(/\.$/);
        expect(name in rule.options.defaults, `${rule.id}.${name} default`).toBe(true);
      }
    }
  });

  it('ships a configuration schema that matches the rules', () => {
    const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../timeout-lint.schema.json'), 'utf8'));
    expect(shipped).toEqual(buildConfigSchema(allRules));
  });
});

describe.each(documented)('rules/$id.md', (rule) => {
  const doc = fs.readFileSync(path.join(RULES_DIR, `${rule.id}.md`), 'utf8');
  const lines = doc.split('\n');

  it('starts with the id, the description and the metadata line', () => {
    expect(lines[0]).toBe(`# ${rule.id}`);
    expect(lines[1]).toBe(rule.description);
    expect(lines[2]).toMatch(new RegExp(`^Severity: ${rule.severity} · Fix: ${rule.fixable}( \\((safe|unsafe)\\))? · Inputs: `));
  });

  it('has the required sections in order', () => {
    const headings = lines.filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).toEqual(REQUIRED_SECTIONS);
  });

  const examples = docExamples(doc);
  if (rule.id !== 'internal-error') {
    it('has an Incorrect example that yields exactly one finding of the rule, and a Correct one that yields none', () => {
      expect(examples.incorrect.size, 'Incorrect example').toBeGreaterThan(0);
      expect(examples.correct.size, 'Correct example').toBeGreaterThan(0);
      expect(findingsOf(examples.incorrect, rule.id)).toHaveLength(1);
      expect(findingsOf(examples.correct, rule.id)).toEqual([]);
    });
  }
});

/** Code blocks under `### Incorrect` / `### Correct`; a first line `# file: <name>` names the file. */
function docExamples(doc: string): { incorrect: Map<string, string>; correct: Map<string, string> } {
  const result = { incorrect: new Map<string, string>(), correct: new Map<string, string>() };
  let current: Map<string, string> | undefined;
  for (const part of doc.split(/^(### Incorrect|### Correct|## .*)$/m)) {
    if (part === '### Incorrect') current = result.incorrect;
    else if (part === '### Correct') current = result.correct;
    else if (part.startsWith('## ')) current = undefined;
    else if (current) {
      for (const block of part.matchAll(/```\w*\n([\s\S]*?)```/g)) {
        const body = block[1]!;
        const name = /^(?:#|\/\/) file: (\S+)\n/.exec(body);
        current.set(name ? name[1]! : `example-${current.size}.conf`, name ? body.slice(name[0].length) : body);
      }
    }
  }
  return result;
}

function findingsOf(files: Map<string, string>, ruleId: string) {
  const memory = new MemoryFs(Object.fromEntries(files));
  const report = lint({ fs: memory, files: memory.list(), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
  return report.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.span.file}:${f.span.start} ${f.message}`);
}
