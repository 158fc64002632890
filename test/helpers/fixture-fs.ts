// Loads a fixture folder from disk into a MemoryFs (tests only; the engine never touches node:fs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

export function listFilesRecursively(dir: string, skip: (relative: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(child)) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

export function loadFixture(dir: string, skip?: (relative: string) => boolean): { fs: MemoryFs; files: string[] } {
  const files = listFilesRecursively(dir, skip);
  const memory = new MemoryFs();
  for (const file of files) memory.write(file, fs.readFileSync(path.join(dir, file)));
  return { fs: memory, files };
}
