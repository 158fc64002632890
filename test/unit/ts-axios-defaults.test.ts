// axios.defaults set in one module applies to the axios calls of the package's other modules (process-wide, facts §12).
import { describe, expect, it } from 'vitest';
import { applyPackageAxiosDefaults } from '../../server/src/engine/inputs/ts/axios-defaults.js';
import { parseTsText } from '../../server/src/engine/inputs/ts/file.js';
import { extractTsFacts, type TsFileFacts } from '../../server/src/engine/inputs/ts/facts.js';
import { readCodePackages } from '../../server/src/engine/inputs/ts/packages.js';

/** The `timeout` of every axios call, per file, after the package pass: `set:<ms>`, `off`, `none`, `unknown`. */
function timeouts(files: Record<string, string>): Record<string, string[]> {
  const facts = new Map<string, TsFileFacts>();
  for (const [file, text] of Object.entries(files)) if (!file.endsWith('.json')) facts.set(file, extractTsFacts(parseTsText(file, text)));
  const originals = new Map(facts);
  applyPackageAxiosDefaults(facts, readCodePackages(facts.keys(), (file) => files[file]));
  // The pass replaces facts; it never edits the (possibly cached) originals.
  for (const [file, original] of originals) expect(JSON.stringify(extractTsFacts(parseTsText(file, files[file]!)).calls)).toBe(JSON.stringify(original.calls));
  const out: Record<string, string[]> = {};
  for (const [file, f] of facts) {
    const calls = f.calls.filter((c) => c.library === 'axios');
    if (calls.length === 0) continue;
    out[file] = calls.map((c) => {
      if (c.optionsUnknown) return 'unknown';
      const t = c.timeouts.find((x) => x.option === 'timeout')!;
      return t.source === 'none' ? 'none' : t.disabled ? `off@${t.span!.file}` : `set:${t.ms}@${t.span!.file}`;
    });
  }
  return out;
}

const pkg = (name: string) => JSON.stringify({ name, dependencies: { axios: '1' } });

describe('axios.defaults across the modules of a package', () => {
  it('applies a 0 set in one module to a bare call in another, and names where it was set', () => {
    expect(timeouts({
      'api/package.json': pkg('api'),
      'api/src/cases.ts': `import axios from 'axios';\naxios.defaults.timeout = 0;\nexport const a = () => axios.post('http://data/x', {});\n`,
      'api/src/geocode.ts': `import axios from 'axios';\nexport const b = () => axios.get('http://data/g');\nexport const c = () => axios.get('http://data/h', { timeout: 2000 });\n`,
    })).toEqual({ 'api/src/cases.ts': ['off@api/src/cases.ts'], 'api/src/geocode.ts': ['off@api/src/cases.ts', 'set:2000@api/src/geocode.ts'] });
  });

  it('reads a require()d axios too', () => {
    expect(timeouts({
      'package.json': pkg('svc'),
      'src/setup.js': `const axios = require('axios');\naxios.defaults.timeout = 15000;\n`,
      'src/client.js': `const axios = require('axios');\nexports.get = () => axios.get('http://up/x');\n`,
    })).toEqual({ 'src/client.js': ['set:15000@src/setup.js'] });
  });

  it('leaves another package alone', () => {
    expect(timeouts({
      'a/package.json': pkg('a'),
      'a/src/setup.ts': `import axios from 'axios';\naxios.defaults.timeout = 0;\n`,
      'b/package.json': pkg('b'),
      'b/src/call.ts': `import axios from 'axios';\nexport const x = () => axios.get('http://up/x');\n`,
    })).toEqual({ 'b/src/call.ts': ['none'] });
  });

  it('makes the value unknown when two modules set it (load order decides)', () => {
    expect(timeouts({
      'package.json': pkg('svc'),
      'src/a.ts': `import axios from 'axios';\naxios.defaults.timeout = 0;\n`,
      'src/b.ts': `import axios from 'axios';\naxios.defaults.timeout = 5000;\nexport const y = () => axios.get('http://up/y');\n`,
      'src/c.ts': `import axios from 'axios';\nexport const x = () => axios.get('http://up/x');\n`,
    })).toEqual({ 'src/b.ts': ['unknown'], 'src/c.ts': ['unknown'] });
  });

  it('does not apply to an axios.create instance (it copies the defaults when created, in an order not known)', () => {
    expect(timeouts({
      'package.json': pkg('svc'),
      'src/a.ts': `import axios from 'axios';\naxios.defaults.timeout = 0;\n`,
      'src/c.ts': `import axios from 'axios';\nconst api = axios.create({ baseURL: 'http://up' });\nexport const x = () => api.get('/x');\n`,
    })).toEqual({ 'src/c.ts': ['none'] });
  });
});
