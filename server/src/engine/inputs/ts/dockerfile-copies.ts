// The workspace folders a Dockerfile's final image is made of: what its last stage copies from the build context, directly or through the stages it copies from.
import type { FileId } from '../../types.js';
import { resolveFileId } from '../../workspace-fs.js';

/** A folder of the build context that ends up in the final image, with the instruction that copies it. */
export interface CopiedFolder {
  /** Workspace-relative folder (`service`), the build context being the Dockerfile's folder. */
  folder: FileId;
  /** `COPY /service /app (Dockerfile:35)`: the instruction and where it is. */
  evidence: string;
}

interface Stage {
  name?: string;
  copies: CopiedFolder[];
  /** Stages this one copies from (`COPY --from=builder`), by name or index. */
  from: string[];
}

/**
 * Reads the stages of a Dockerfile (`FROM … AS name`) and returns the context folders the final
 * stage copies (`COPY service ./`, `COPY /service /app`: a leading `/` is the context root too),
 * plus those of every stage it copies from with `COPY --from=<stage>`, transitively. Files
 * (`package.json`), globs, variables, URLs and `.` (the whole context) are not folders of their
 * own and are left out; so are stages named by an image rather than a stage (`--from=nginx:1`).
 */
export function finalImageFolders(dockerfile: FileId, text: string, context: FileId): CopiedFolder[] {
  const stages: Stage[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    // Continuation lines join the instruction they continue; the evidence keeps the first line's number.
    let line = lines[i]!;
    const lineNumber = i + 1;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = `${line.replace(/\\\s*$/, ' ')}${lines[++i]!}`;
    const match = /^\s*(FROM|COPY|ADD)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const instruction = match[1]!.toUpperCase();
    const words = match[2]!.trim().split(/\s+/);
    if (instruction === 'FROM') {
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      stages.push({ ...(as >= 0 && words[as + 1] ? { name: words[as + 1]!.toLowerCase() } : {}), copies: [], from: [] });
      continue;
    }
    const stage = stages.at(-1);
    // JSON form (`COPY ["a", "b"]`) and heredocs are rare for code; left out rather than misread.
    if (!stage || words[0]?.startsWith('[') || match[2]!.includes('<<')) continue;
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length).toLowerCase();
    if (from !== undefined) {
      stage.from.push(from);
      continue;
    }
    const args = words.filter((w) => !w.startsWith('--'));
    if (args.length < 2) continue;
    for (const source of args.slice(0, -1)) {
      if (/[*?[$]/.test(source) || /^[a-z]+:\/\//i.test(source)) continue;
      const relative = source.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      // A file (a name with an extension: package.json, pnpm-lock.yaml) is no code folder.
      if (relative === '' || relative === '.' || /\.[A-Za-z0-9]+$/.test(relative.slice(relative.lastIndexOf('/') + 1))) continue;
      const folder = resolveFileId(context === '' ? relative : `${context}/${relative}`);
      if (folder === undefined || folder === '') continue;
      stage.copies.push({ folder, evidence: `${instruction} ${args.join(' ')} (${dockerfile}:${lineNumber})` });
    }
  }
  const last = stages.length - 1;
  if (last < 0) return [];
  const out: CopiedFolder[] = [];
  const seen = new Set<number>();
  const visit = (index: number) => {
    if (seen.has(index)) return;
    seen.add(index);
    const stage = stages[index]!;
    out.push(...stage.copies);
    for (const ref of stage.from) {
      // A stage before this one, by name or by index; anything else is an image.
      const target = /^\d+$/.test(ref) ? Number(ref) : stages.findIndex((s, j) => j < index && s.name === ref);
      if (target >= 0 && target < index) visit(target);
    }
  };
  visit(last);
  const unique = new Map<FileId, CopiedFolder>();
  for (const copy of out) if (!unique.has(copy.folder)) unique.set(copy.folder, copy);
  return [...unique.values()];
}
