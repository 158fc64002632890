// Node.js version hints for version-dependent defaults, read from texts the caller passes in (package.json, .nvmrc, .node-version, lockfile); no I/O.

export interface NodeVersionInputs {
  packageJson?: string;
  nvmrc?: string;
  nodeVersionFile?: string;
  /** `.tool-versions` (asdf/mise). */
  toolVersions?: string;
}

export interface NodeVersionHint {
  /** The major version when the source pins one (`.nvmrc` `20`, `volta.node` `20.11.0`). */
  major?: number;
  /** The lowest major a range allows (`engines.node` `>=18`). */
  minMajor?: number;
  source: 'nvmrc' | 'node-version' | 'tool-versions' | 'volta' | 'engines';
  text: string;
}

/**
 * The best Node version hint: a pinned version (`.nvmrc`, `.node-version`, `.tool-versions`,
 * `volta.node`) wins over the `engines.node` range. Aliases like `lts/*` or `node` give no major.
 */
export function nodeVersionHint(inputs: NodeVersionInputs): NodeVersionHint | undefined {
  const pinned: Array<[NodeVersionHint['source'], string | undefined]> = [
    ['nvmrc', inputs.nvmrc?.trim()],
    ['node-version', inputs.nodeVersionFile?.trim()],
    ['tool-versions', /^(?:nodejs|node)\s+(\S+)/m.exec(inputs.toolVersions ?? '')?.[1]],
    ['volta', packageField(inputs.packageJson, (json) => (json.volta as { node?: unknown } | undefined)?.node)],
  ];
  for (const [source, text] of pinned) {
    const major = text ? /^v?(\d+)(?:\.|$)/.exec(text)?.[1] : undefined;
    if (text && major) return { major: Number(major), source, text };
  }
  const engines = packageField(inputs.packageJson, (json) => (json.engines as { node?: unknown } | undefined)?.node);
  if (!engines) return undefined;
  const majors = [...engines.matchAll(/(\d+)(?:\.\d+)*(?:\.x)?/g)].map((m) => Number(m[1]));
  const hint: NodeVersionHint = { source: 'engines', text: engines };
  if (majors.length > 0) hint.minMajor = Math.min(...majors);
  // `20.x`, `^20.1.0`, `~20` or a bare `20` pin one major; `>=18` and `||` ranges do not.
  if (/^\s*[~^]?v?\d+(?:\.[\dx*]+)*\s*$/.test(engines)) hint.major = majors[0]!;
  // `>=20 <21` (or `>=20.9.0 <21.0.0`) is one major too: the upper bound is the next major's start.
  const bounded = /^\s*>=?\s*v?(\d+)(?:\.\d+){0,2}\s+<\s*v?(\d+)(?:\.0){0,2}\s*$/.exec(engines);
  if (bounded && Number(bounded[2]) === Number(bounded[1]) + 1) hint.major = Number(bounded[1]);
  return hint;
}

function packageField(text: string | undefined, pick: (json: Record<string, unknown>) => unknown): string | undefined {
  if (!text) return undefined;
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null) return undefined;
    const value = pick(json as Record<string, unknown>);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
