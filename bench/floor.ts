// The floor of `npm run bench`: read and parse workspace files with the raw libraries and nothing else (no model, no rules).
// Usage: node dist/bench-floor.js <root> <list-file>   (list-file: one "kind<TAB>path" per line; kind nginx | yaml | ts)
import { parse as parseTs } from '@babel/parser';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseNginxText } from '../server/src/engine/inputs/nginx/parser.js';

function main(): void {
  const [root, listFile] = process.argv.slice(2);
  if (!root || !listFile) throw new Error('usage: bench-floor <root> <list-file>');
  let parsed = 0;
  let bytes = 0;
  for (const line of fs.readFileSync(listFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const kind = line.slice(0, tab);
    const file = line.slice(tab + 1);
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    bytes += text.length;
    if (kind === 'nginx') parseNginxText(file, text);
    else if (kind === 'yaml') parseAllDocuments(text, { prettyErrors: false, keepSourceTokens: false });
    else if (kind === 'ts') parseTs(text, { sourceType: 'module', plugins: ['typescript'], errorRecovery: true });
    else continue;
    parsed++;
  }
  process.stdout.write(`${JSON.stringify({ parsed, bytes })}\n`);
}

main();
