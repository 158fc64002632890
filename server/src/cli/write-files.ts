// Writes fixed files atomically, keeping the BOM and the file mode.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `text` to `absolutePath` via a temporary file and a rename, so a crash never leaves half a file. */
export function writeFileAtomically(absolutePath: string, text: string): void {
  const original = fs.statSync(absolutePath);
  const hadBom = fs.readFileSync(absolutePath).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  const temporary = path.join(path.dirname(absolutePath), `.${path.basename(absolutePath)}.timeout-lint-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, (hadBom ? '\ufeff' : '') + text, { mode: original.mode });
    fs.chmodSync(temporary, original.mode);
    fs.renameSync(temporary, absolutePath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
