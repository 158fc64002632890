// Reads inline expectation markers (`# expect: <rule-id> "text"`, caret lines, `# related:`) from fixture files.

export interface ExpectedFinding {
  file: string;
  /** Zero-based line the finding must start on. */
  line: number;
  ruleId: string;
  /** Message substring, when the marker quotes one. */
  text?: string;
  /** Exact zero-based columns [start, end) from a caret line. */
  columns?: [number, number];
}

export interface ExpectedRelated {
  file: string;
  line: number;
  ruleId: string;
}

// `--` for SQL files.
const MARKER = /(?:#|\/\/|--)\s*(expect|related):\s*([a-z0-9-]+)(?:\s+"([^"]*)")?\s*$/;
const CARET = /^(\s*(?:#|\/\/))(\s*)(\^+)\s*expect:\s*([a-z0-9-]+)(?:\s+"([^"]*)")?\s*$/;

/**
 * A trailing marker applies to its own line; a marker alone on its line applies to the next line
 * that is not a marker; a caret line pins the columns of the line above it.
 */
export function readMarkers(file: string, text: string): { expected: ExpectedFinding[]; related: ExpectedRelated[] } {
  const lines = text.split(/\r\n|\n|\r/);
  const expected: ExpectedFinding[] = [];
  const related: ExpectedRelated[] = [];
  const pending: Array<{ kind: string; ruleId: string; text?: string }> = [];
  let lastCodeLine = -1;
  lines.forEach((line, index) => {
    const caret = CARET.exec(line);
    if (caret) {
      const start = caret[1]!.length + caret[2]!.length;
      expected.push({ file, line: lastCodeLine, ruleId: caret[4]!, text: caret[5], columns: [start, start + caret[3]!.length] });
      return;
    }
    const marker = MARKER.exec(line);
    const ownLine = marker !== null && line.trimStart().startsWith(line.trimStart().startsWith('//') ? '//' : '#') && line.slice(0, marker.index).trim() === '';
    if (marker && ownLine) {
      pending.push({ kind: marker[1]!, ruleId: marker[2]!, text: marker[3] });
      return;
    }
    for (const p of pending.splice(0)) add(p.kind, p.ruleId, p.text, index);
    if (marker) add(marker[1]!, marker[2]!, marker[3], index);
    if (line.trim() !== '') lastCodeLine = index;
  });

  function add(kind: string, ruleId: string, message: string | undefined, line: number): void {
    if (kind === 'expect') expected.push({ file, line, ruleId, text: message });
    else related.push({ file, line, ruleId });
  }
  return { expected, related };
}

/** A sidecar holding the markers of a file that has no comments (JSON): `<file>.markers`. */
const SIDECAR = '.markers';
const SIDECAR_LINE = /^(\d+):\s*(.*)$/;

/**
 * The markers of every file of a fixture: inline ones, and those of `<file>.markers` sidecars, whose
 * lines are `<line>: <marker>` (1-based line of the file the sidecar names, then a marker as written
 * inline, e.g. `3: // expect: rule "text"`). Sidecars themselves are no fixture input.
 */
export function readFixtureMarkers(texts: ReadonlyMap<string, string>): { expected: ExpectedFinding[]; related: ExpectedRelated[] } {
  const expected: ExpectedFinding[] = [];
  const related: ExpectedRelated[] = [];
  for (const [file, text] of texts) {
    if (!file.endsWith(SIDECAR)) {
      const inline = readMarkers(file, text);
      expected.push(...inline.expected);
      related.push(...inline.related);
      continue;
    }
    const target = file.slice(0, -SIDECAR.length);
    for (const line of text.split(/\r?\n/)) {
      const entry = SIDECAR_LINE.exec(line.trim());
      if (!entry) continue;
      const one = readMarkers(target, `${entry[2]}\nx`);
      const at = Number(entry[1]) - 1;
      expected.push(...one.expected.map((e) => ({ ...e, line: at })));
      related.push(...one.related.map((r) => ({ ...r, line: at })));
    }
  }
  return { expected, related };
}
