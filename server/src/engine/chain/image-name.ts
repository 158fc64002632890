// The name an image reference gives for matching against code packages: `ghcr.io/acme/chat-api:1.2` → `chat-api`.
import type { CodePackage } from '../inputs/ts/packages.js';

/** An image name candidate, with how it was read when that is not the plain reference. */
export interface ImageNameCandidate {
  name: string;
  /** `placeholder default` when the name comes from `${VAR:-default}`. */
  evidence?: string;
}

/**
 * Reads the repository name of an image reference. A compose placeholder `${IMAGE:-name:tag}`
 * (or `${IMAGE-name:tag}`) stands for its default when the variable is unset: that default is the
 * candidate, not the text cut at the first ':'. A reference whose name part is a placeholder
 * without default (`${IMAGE}`, `repo/${NAME}:1`) gives no candidate: its value is unknown.
 */
export function imageNameCandidate(image: string): ImageNameCandidate | undefined {
  const trimmed = image.trim();
  const placeholder = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-)([^{}]*)\}$/.exec(trimmed);
  if (placeholder) {
    const name = plainName(placeholder[1]!);
    return name ? { name, evidence: 'placeholder default' } : undefined;
  }
  const name = plainName(trimmed);
  return name ? { name } : undefined;
}

/** `imageNameCandidate(image)?.name ?? ''`, for callers that only want the name. */
export function imageName(image: string): string {
  return imageNameCandidate(image)?.name ?? '';
}

function plainName(reference: string): string | undefined {
  // The digest and the tag follow the last path segment; the registry port (`host:5000/x`) precedes a '/'.
  const withoutDigest = reference.replace(/@.*$/, '');
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const name = last.replace(/:.*$/, '');
  if (name === '' || name.includes('$')) return undefined;
  return name;
}

type BuiltImage = NonNullable<CodePackage['builtImages']>[number];

/**
 * The packages an image the workspace builds could be, for the first of `names` (a workload's names and its
 * image name) that some build tags: one package with an unambiguous build is a link, with that build as
 * evidence; several (two builds, or one build whose context holds several packages) are candidates only.
 */
export function builtImageMatch(packages: readonly CodePackage[], names: readonly string[]): { packages: CodePackage[]; entry?: BuiltImage; name?: string; how?: string } {
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (!name) continue;
    const found = packages.flatMap((pkg) => (pkg.builtImages ?? []).filter((b) => b.name === name).map((entry) => ({ pkg, entry })));
    if (found.length === 0) continue;
    // A build whose context holds several packages is attached to each of them, so it shows here as several packages.
    const matched = [...new Set(found.map((f) => f.pkg))];
    const how = [...new Set(found.map((f) => f.entry.evidence))].join('; ');
    return matched.length === 1 ? { packages: matched, entry: found[0]!.entry, name, how } : { packages: matched, name, how };
  }
  return { packages: [] };
}
