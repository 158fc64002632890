// A source the text pre-scan skips (it names no library) is parsed after all when it imports a
// workspace module that exports a client or a wrapper making calls: `billing.post(…)` on an axios
// instance created elsewhere is an axios call. The language server's parse cache keeps the imports
// of skipped files, so the answer is the same on the next build without reading them again.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { relativeImports } from '../../server/src/engine/inputs/ts/index.js';
import { lint, ParseCache } from '../../server/src/engine/run.js';
import { MemoryFs, type FileStat } from '../../server/src/engine/workspace-fs.js';

const clients = "import axios from 'axios';\n\nexport const billing = axios.create({ baseURL: process.env.BILLING_URL });\n";
const user = "import { billing } from '../lib/clients';\n\nexport async function pushInvoice(id: string) {\n  await billing.post('/invoices', { id });\n}\n";
const unrelated = "import { format } from '../lib/format';\n\nexport function label(id: string) {\n  return format(id);\n}\n";
const format = 'export function format(id: string) {\n  return `#${id}`;\n}\n';

/** A memory file system whose files have a modification time, as the language server's have. */
class StampedFs extends MemoryFs {
  override stat(file: string): FileStat | undefined {
    const stat = super.stat(file);
    return stat?.isFile ? { ...stat, mtimeMs: 1 } : stat;
  }
}

const files = { 'package.json': '{ "name": "sync" }', 'src/lib/clients.ts': clients, 'src/sync/invoices.ts': user, 'src/sync/labels.ts': unrelated, 'src/lib/format.ts': format };

function findings(fs: MemoryFs, parseCache?: ParseCache) {
  const report = lint({ fs, files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', ...(parseCache ? { parseCache } : {}) });
  return report.findings.filter((f) => f.ruleId === 'http-call-without-timeout').map((f) => `${f.span.file} ${f.message.split('. ')[0]}`);
}

describe('sources that call what another module exports', () => {
  it('are parsed when the imported module exports a client, and their calls are checked', () => {
    expect(findings(new MemoryFs(files))).toEqual(['src/sync/invoices.ts `billing.post` has no timeout, and axios sets none by default']);
  });

  it('give the same findings on a second build with the same parse cache', () => {
    const cache = new ParseCache();
    const fs = new StampedFs(files);
    const first = findings(fs, cache);
    expect(findings(fs, cache)).toEqual(first);
    expect(first).toHaveLength(1);
  });

  it.each<[string, string[]]>([
    ["import { a } from './a';\nconst b = require('../b/c.js');\nimport '../side-effect';\n", ['./a', '../b/c.js', '../side-effect']],
    ["import x from 'axios';\nimport { y } from '@/lib/y';\n", []],
    ["export { z } from './z';\nconst lazy = import('./lazy');\n", ['./z', './lazy']],
  ])('relativeImports of %j', (text, expected) => {
    expect(relativeImports(text)).toEqual(expected);
  });
});
