// The name an image reference gives for matching against code packages: `ghcr.io/acme/chat-api:1.2` → `chat-api`.

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

/**
 * The namespace segments of an image reference, the registry host left out: `quay.io/acme-ui/ui:1`
 * → `['acme-ui']`, `ghcr.io/org/team/api` → `['org', 'team']`, `nginx` → `[]`. Docker Hub's
 * `library` (official images) names no project and is left out. Segments holding a placeholder are
 * left out too (their value is unknown).
 */
export function imageNamespaces(image: string): string[] {
  const reference = image.trim().replace(/@.*$/, '');
  const segments = reference.split('/');
  segments.pop();
  // The first segment is a registry host when it has a dot or a port, or is localhost (Docker's own rule).
  if (segments.length > 0 && (/[.:]/.test(segments[0]!) || segments[0] === 'localhost')) segments.shift();
  return segments.filter((s) => s !== '' && s !== 'library' && !s.includes('$') && !s.includes('{'));
}
