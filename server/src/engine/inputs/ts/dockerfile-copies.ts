// The workspace folders a Dockerfile's final image is made of: what its last stage copies from the build context, directly, from the stage it is built on, or through what it copies from other stages.
import type { FileId } from '../../types.js';
import { resolveFileId } from '../../workspace-fs.js';

/** A folder of the build context that ends up in the final image, with the instruction that copies it. */
export interface CopiedFolder {
  /** Workspace-relative folder (`service`), the build context being the Dockerfile's folder. */
  folder: FileId;
  /** `COPY /service /app (Dockerfile:35)`: the instruction and where it is. */
  evidence: string;
}

interface ContextCopy extends CopiedFolder {
  /** Where it lands in the stage's file system (absolute). */
  destination: string;
}

interface Stage {
  name?: string;
  /** The earlier stage this one is built on (`FROM build AS final`): it holds everything that one does. */
  base?: number;
  copies: ContextCopy[];
  /** `COPY --from=<stage> <sources> …`: the stage (by name or index) and the paths taken from it. */
  from: Array<{ ref: string; sources: string[] }>;
}

/**
 * Reads the stages of a Dockerfile (`FROM … AS name`) and returns the context folders the final
 * image holds: those its last stage copies (`COPY service ./`, `COPY /service /app`: a leading `/`
 * is the context root too), those of the stage it is built on, and, for each `COPY --from=<stage>
 * <paths>`, those of that stage copied to where the paths are taken from (a build stage's
 * `COPY server ./server` is not in an image that takes only `/app/dist` from it), transitively.
 * Files (`package.json`), globs, variables, URLs and `.` (the whole context) are not folders of
 * their own and are left out; so are images named in `--from` rather than stages.
 */
export function finalImageFolders(dockerfile: FileId, text: string, context: FileId): CopiedFolder[] {
  const stages = readStages(dockerfile, text, context);
  if (stages.length === 0) return [];
  const out = new Map<FileId, CopiedFolder>();
  // Each stage visited once per path filter: `undefined` means the whole stage.
  const seen = new Set<string>();
  const visit = (index: number, wanted: string[] | undefined) => {
    const key = `${index}\u0000${wanted?.join('\u0000') ?? '*'}`;
    if (seen.has(key)) return;
    seen.add(key);
    const stage = stages[index]!;
    for (const copy of stage.copies) {
      if (wanted && !wanted.some((path) => overlaps(path, copy.destination))) continue;
      if (!out.has(copy.folder)) out.set(copy.folder, { folder: copy.folder, evidence: copy.evidence });
    }
    if (stage.base !== undefined) visit(stage.base, wanted);
    for (const { ref, sources } of stage.from) {
      const target = /^\d+$/.test(ref) ? Number(ref) : stages.findIndex((s, j) => j < index && s.name === ref);
      if (target >= 0 && target < index) visit(target, wanted ? sources.filter((source) => wanted.some((path) => overlaps(path, source))) : sources);
    }
  };
  visit(stages.length - 1, undefined);
  return [...out.values()];
}

function readStages(dockerfile: FileId, text: string, context: FileId): Stage[] {
  const stages: Stage[] = [];
  let workdir = '/';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    // A comment is never continued, and never continues an instruction.
    if (/^\s*#/.test(line)) continue;
    const lineNumber = i + 1;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      const next = lines[++i]!;
      line = /^\s*#/.test(next) ? line : `${line.replace(/\\\s*$/, ' ')}${next}`;
    }
    const match = /^\s*(FROM|COPY|ADD|WORKDIR)\s+(.*)$/i.exec(line);
    if (!match) continue;
    const instruction = match[1]!.toUpperCase();
    const words = match[2]!.trim().split(/\s+/);
    if (instruction === 'FROM') {
      const image = words.find((w) => !w.startsWith('--'))?.toLowerCase();
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      const base = image === undefined ? -1 : stages.findIndex((s) => s.name === image);
      stages.push({ ...(as >= 0 && words[as + 1] ? { name: words[as + 1]!.toLowerCase() } : {}), ...(base >= 0 ? { base } : {}), copies: [], from: [] });
      workdir = '/';
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    if (instruction === 'WORKDIR') {
      workdir = containerPath(words.join(' '), workdir);
      continue;
    }
    // JSON form (`COPY ["a", "b"]`) and heredocs are rare for code; left out rather than misread.
    if (words[0]?.startsWith('[') || match[2]!.includes('<<')) continue;
    const args = words.filter((w) => !w.startsWith('--'));
    if (args.length < 2) continue;
    const destination = containerPath(args[args.length - 1]!, workdir);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length).toLowerCase();
    if (from !== undefined) {
      stage.from.push({ ref: from, sources: args.slice(0, -1).map((source) => containerPath(source, '/')) });
      continue;
    }
    for (const source of args.slice(0, -1)) {
      if (/[*?[$]/.test(source) || /^[a-z]+:\/\//i.test(source)) continue;
      const relative = insideContext(source);
      // A file (a name with an extension: package.json, pnpm-lock.yaml) is no code folder.
      if (relative === '' || /\.[A-Za-z0-9]+$/.test(relative.slice(relative.lastIndexOf('/') + 1))) continue;
      const folder = resolveFileId(context === '' ? relative : `${context}/${relative}`);
      if (folder === undefined || folder === '') continue;
      stage.copies.push({ folder, destination, evidence: `${instruction} ${args.join(' ')} (${dockerfile}:${lineNumber})` });
    }
  }
  return stages;
}

/** A COPY source as Docker reads it: relative to the context root, which `..` cannot climb above. */
function insideContext(source: string): string {
  const segments: string[] = [];
  for (const segment of source.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/** An absolute, normalised path in the image for `path` written in a stage whose WORKDIR is `workdir`. */
function containerPath(path: string, workdir: string): string {
  const joined = path.startsWith('/') ? path : `${workdir}/${path}`;
  return `/${insideContext(joined)}`;
}

/** True when one path is the other or holds it. */
function overlaps(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || outer === '/' || inner.startsWith(`${outer}/`);
  return within(a, b) || within(b, a);
}
