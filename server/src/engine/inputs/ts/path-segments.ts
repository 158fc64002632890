// Workspace-relative paths written in manifests, tsconfig `extends` and build commands.

/** `./a/../b//c` → `b/c`, `.` → `''`; undefined when the path climbs above where it starts. */
export function normaliseSegments(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
