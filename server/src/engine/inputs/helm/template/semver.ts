// Semantic versions and constraints as Masterminds/semver v3 (Sprig's semverCompare) reads them, including its rule that a constraint without a prerelease never matches a prerelease version.

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string;
}

const VERSION = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses a version leniently (a leading v, missing minor and patch), or undefined. */
export function parseSemVer(text: string): SemVer | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return { major: BigInt(match[1]!), minor: BigInt(match[2] ?? '0'), patch: BigInt(match[3] ?? '0'), prerelease: match[4] ?? '' };
}

export function compareSemVer(a: SemVer, b: SemVer): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** One comparison of a constraint, already expanded from ~, ^, x-ranges and hyphen ranges. */
interface Comparator {
  op: '=' | '!=' | '>' | '<' | '>=' | '<=' | '*';
  version: SemVer;
  /** Whether the constraint as written had a prerelease (only then may prerelease versions match). */
  allowsPrerelease: boolean;
}

const COMPARATOR = /^(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*(v?(?:[0-9]+|[xX*])(?:\.(?:[0-9]+|[xX*]))?(?:\.(?:[0-9]+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/** Parses a constraint (`>=1.19-0`, `^1.2 || ~2.0`, `>= 1.18, < 1.20`, `1.2 - 1.4`); undefined when it is not one. */
export function parseConstraint(text: string): Comparator[][] | undefined {
  const groups: Comparator[][] = [];
  for (const orPart of text.split('||')) {
    const normalised = orPart
      .trim()
      .replace(/\s*,\s*/g, ' ')
      .replace(/(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+/g, '$1');
    if (normalised === '') return undefined;
    const group: Comparator[] = [];
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(normalised);
    const parts = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : normalised.split(/\s+/);
    for (const part of parts) {
      const expanded = expandComparator(part);
      if (!expanded) return undefined;
      group.push(...expanded);
    }
    groups.push(group);
  }
  return groups;
}

function expandComparator(text: string): Comparator[] | undefined {
  if (text === '*' || text === 'x' || text === 'X') return [{ op: '*', version: zero(), allowsPrerelease: false }];
  const match = COMPARATOR.exec(text);
  if (!match) return undefined;
  let op = match[1] ?? '=';
  const raw = match[2]!.replace(/^v/, '');
  const pieces = raw.split(/[-+]/)[0]!.split('.');
  const wildcardAt = pieces.findIndex((piece) => /^[xX*]$/.test(piece));
  const given = wildcardAt >= 0 ? wildcardAt : pieces.length;
  const version = parseSemVer(pieces.map((piece) => (/^[xX*]$/.test(piece) ? '0' : piece)).join('.') + (raw.includes('-') ? raw.slice(raw.indexOf('-')).replace(/\+.*$/, '') : ''));
  if (!version) return undefined;
  const allowsPrerelease = version.prerelease !== '';
  const c = (o: Comparator['op'], v: SemVer): Comparator => ({ op: o, version: v, allowsPrerelease });
  if (op === '=>') op = '>=';
  if (op === '=<') op = '<=';
  if (op === '~>') op = '~';
  if (given === 0) return op === '<' ? [c('<', zero())] : op === '>' ? [c('<', zero())] : [{ op: '*', version: zero(), allowsPrerelease }];
  const bump = (level: number): SemVer =>
    level === 0 ? { major: version.major + 1n, minor: 0n, patch: 0n, prerelease: '' } : level === 1 ? { major: version.major, minor: version.minor + 1n, patch: 0n, prerelease: '' } : { ...version, patch: version.patch + 1n, prerelease: '' };
  switch (op) {
    case '~':
      return [c('>=', version), c('<', bump(given === 1 ? 0 : 1))];
    case '^': {
      if (version.major > 0n || given === 1) return [c('>=', version), c('<', bump(0))];
      if (version.minor > 0n || given === 2) return [c('>=', version), c('<', bump(1))];
      return [c('>=', version), c('<', bump(2))];
    }
    case '=':
      return given < 3 ? [c('>=', version), c('<', bump(given - 1))] : [c('=', version)];
    case '!=':
      // `!=1.2.x` is an either-or inside a conjunction; not supported (the caller reports it unresolved).
      return given < 3 ? undefined : [c('!=', version)];
    case '>':
      return given < 3 ? [c('>=', bump(given - 1))] : [c('>', version)];
    case '<=':
      return given < 3 ? [c('<', bump(given - 1))] : [c('<=', version)];
    default:
      return [c(op as Comparator['op'], version)];
  }
}

function zero(): SemVer {
  return { major: 0n, minor: 0n, patch: 0n, prerelease: '' };
}

/** Whether the version satisfies the constraint. */
export function satisfies(version: SemVer, groups: Comparator[][]): boolean {
  return groups.some((group) =>
    group.every((comparator) => {
      if (version.prerelease !== '' && !comparator.allowsPrerelease) return false;
      const order = compareSemVer(version, comparator.version);
      switch (comparator.op) {
        case '*':
          return true;
        case '=':
          return order === 0;
        case '!=':
          return order !== 0;
        case '>':
          return order > 0;
        case '<':
          return order < 0;
        case '>=':
          return order >= 0;
        case '<=':
          return order <= 0;
      }
    }),
  );
}
