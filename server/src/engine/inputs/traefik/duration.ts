// Traefik durations (facts §7): a Go `time.ParseDuration` string (`90s`, `1m30s`, `500ms`) or bare digits meaning seconds; 0 switches a timer off.

export type TraefikDurationParse = { ok: true; ms: number } | { ok: false; reason: string };

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// Micro is written two ways, as Go accepts: U+00B5 (micro sign) and U+03BC (Greek mu), escaped so that
// the bundle stays Latin-1 (esbuild escapes strings, not regular expressions; see esbuild.mjs).
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

export function parseTraefikDuration(text: string): TraefikDurationParse {
  const trimmed = text.trim();
  // Traefik's ptypes.Duration reads a bare integer as seconds (a YAML or TOML number, or a label "30").
  if (/^\d+$/.test(trimmed)) return { ok: true, ms: Number(trimmed) * 1000 };
  if (trimmed === '') return { ok: false, reason: 'empty' };
  let rest = trimmed;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < rest.length) {
    PART.lastIndex = pos;
    const match = PART.exec(rest);
    if (!match) return { ok: false, reason: `"${text}" is not a Go duration (a number with a unit: 90s, 1m30s, 500ms) or a number of seconds` };
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    pos = PART.lastIndex;
  }
  if (sign < 0 && total > 0) return { ok: false, reason: `"${text}" is negative` };
  return { ok: true, ms: Math.round(total) };
}
