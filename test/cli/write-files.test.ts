// Fixed files are written atomically and keep their BOM and file mode.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { writeFileAtomically } from '../../server/src/cli/write-files.js';

it('keeps the BOM and the mode, and leaves no temporary file behind', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-write-'));
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, '\ufeffa;\r\n');
  fs.chmodSync(file, 0o640);
  writeFileAtomically(file, 'b;\r\n');
  expect(fs.readFileSync(file)).toEqual(Buffer.from('\ufeffb;\r\n'));
  expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  expect(fs.readdirSync(dir)).toEqual(['nginx.conf']);
  fs.rmSync(dir, { recursive: true });
});
