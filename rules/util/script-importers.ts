// Files under scripts/ that code serving requests imports: such a file runs in the service, so it is no script.
import { resolveModulePath, scriptCodeEvidence, SCRIPT_CODE_FOLDER, testCodeEvidence, type TsFileFacts } from '../../server/src/engine/inputs/ts/api.js';
import type { FileId } from '../../server/src/engine/rule-api.js';

type Files = ReadonlyMap<FileId, TsFileFacts>;

const importers = new WeakMap<Files, Map<FileId, FileId>>();

/**
 * Why a file is a script (see `scriptCodeEvidence`), or undefined; also undefined when a file that is
 * neither test code nor a script itself imports it (a helper kept under `scripts/` that a route uses).
 */
export function scriptEvidenceOf(files: Files, file: FileId, facts: TsFileFacts): string | undefined {
  const evidence = scriptCodeEvidence(file, facts);
  if (evidence === undefined) return undefined;
  return serviceImporters(files).has(file) ? undefined : evidence;
}

/** Script-folder files by the first service file that imports one, made once per model. */
function serviceImporters(files: Files): Map<FileId, FileId> {
  let found = importers.get(files);
  if (found) return found;
  found = new Map();
  const exists = (f: FileId) => files.has(f);
  for (const [importer, facts] of files) {
    if (testCodeEvidence(importer) !== undefined || scriptCodeEvidence(importer, facts) !== undefined) continue;
    for (const imported of facts.imports) {
      const target = resolveModulePath(importer, imported.module, exists, facts.moduleFiles);
      if (target !== undefined && SCRIPT_CODE_FOLDER.test(target) && !found.has(target)) found.set(target, importer);
    }
  }
  importers.set(files, found);
  return found;
}
