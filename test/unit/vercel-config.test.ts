// vercel.json: `functions` entries with their places, and whether a pattern matches a file below the file's folder.
import { describe, expect, it } from 'vitest';
import { readVercelConfig } from '../../server/src/engine/inputs/vercel/config.js';
import { matchFunctionPattern, type FolderReader } from '../../server/src/engine/inputs/vercel/patterns.js';
import { entriesForFile } from '../../server/src/engine/function-settings.js';

/** A folder tree from a list of files; every parent folder exists. */
function tree(files: string[]): FolderReader & { listed: string[] } {
  const children = new Map<string, Set<string>>();
  const dirs = new Set<string>(['']);
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!children.has(parent)) children.set(parent, new Set());
      children.get(parent)!.add(parts[i]!);
      if (i < parts.length - 1) dirs.add(parts.slice(0, i + 1).join('/'));
    }
  }
  const listed: string[] = [];
  return {
    listed,
    list: (dir) => {
      listed.push(dir);
      return children.has(dir) ? [...children.get(dir)!].sort() : undefined;
    },
    isDirectory: (file) => dirs.has(file),
  };
}

describe('vercel.json functions', () => {
  it('reads each pattern with the place of its key and a numeric maxDuration with its own', () => {
    const text = '{\n  "functions": {\n    "app/api/**/*": { "maxDuration": 120 },\n    "api/*.js": { "memory": 1024 }\n  }\n}\n';
    const { config, problems } = readVercelConfig('web/vercel.json', text);
    expect(problems).toEqual([]);
    expect(config!.dir).toBe('web');
    expect(config!.functions.map((f) => [f.pattern, text.slice(f.span.start, f.span.end), f.maxDuration?.seconds, f.maxDuration && text.slice(f.maxDuration.span.start, f.maxDuration.span.end)]))
      .toEqual([['app/api/**/*', '"app/api/**/*"', 120, '120'], ['api/*.js', '"api/*.js"', undefined, undefined]]);
  });

  it('reports invalid JSON as a syntax problem at the offending offset', () => {
    const { config, problems } = readVercelConfig('vercel.json', '{ "functions": { "api/*.js": { maxDuration: 60 } } }');
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.kind).toBe('syntax');
  });

  it.each([
    ['matches a route under the pattern\'s folder', '', 'src/app/api/**/*', ['src/app/api/chat/route.ts'], 'matched'],
    ['is relative to the folder of vercel.json', 'web', 'app/api/**/*', ['web/app/api/chat/route.ts'], 'matched'],
    ['misses a src/ app with an app/ pattern (no such folder)', '', 'app/api/**/*', ['src/app/api/chat/route.ts'], 'unmatched:app/api'],
    ['misses a file name that is not there', '', 'api/*.ts', ['api/report.js'], 'unmatched'],
    ['does not look inside node_modules', '', '**/*.ts', ['node_modules/x/index.ts', 'README.md'], 'unmatched'],
    ['reads brace and star patterns', '', 'pages/api/{chat,stream}.ts', ['pages/api/stream.ts'], 'matched'],
  ])('%s', (_name, dir, pattern, files, expected) => {
    const result = matchFunctionPattern(dir, pattern, tree(files));
    const brief = result.kind === 'unmatched' && result.missingFolder ? `unmatched:${result.missingFolder}` : result.kind;
    expect(brief).toBe(expected);
  });

  it('starts at the pattern\'s fixed folders and says unknown past its bound, never unmatched', () => {
    const reader = tree(['app/api/a.ts', 'other/b.ts']);
    matchFunctionPattern('', 'app/api/*.ts', reader);
    expect(reader.listed).toEqual(['app/api']);
    const wide = tree(Array.from({ length: 20_100 }, (_, i) => `gen/f${i}.txt`));
    expect(matchFunctionPattern('', 'gen/**/*.ts', wide).kind).toBe('unknown');
  });

  it('finds the entries that apply to a route file, relative to each vercel.json folder', () => {
    const configs = [
      { file: 'vercel.json', dir: '', functions: [{ pattern: 'app/api/**/*' }] },
      { file: 'web/vercel.json', dir: 'web', functions: [{ pattern: 'src/app/api/**/*' }, { pattern: 'src/app/api/chat/route.ts' }] },
    ];
    const brief = (file: string) => entriesForFile(configs, file).map((m) => `${m.config.file}:${m.entry.pattern}`);
    expect(brief('web/src/app/api/chat/route.ts')).toEqual(['web/vercel.json:src/app/api/**/*', 'web/vercel.json:src/app/api/chat/route.ts']);
    expect(brief('web/src/app/api/search/route.ts')).toEqual(['web/vercel.json:src/app/api/**/*']);
    expect(brief('app/api/x/route.ts')).toEqual(['vercel.json:app/api/**/*']);
    expect(brief('docs/app/api/x/route.ts')).toEqual([]);
  });
});
