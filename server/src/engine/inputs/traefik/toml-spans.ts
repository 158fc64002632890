// Where each value of a TOML document is written: smol-toml parses values but keeps no positions, so this scanner finds the token of every key path (tables, array tables, dotted keys, inline tables and arrays).
//
// It reads only what it needs to place values: a document smol-toml rejects is never placed, and a
// construct the scanner does not follow leaves its paths unplaced (the caller falls back to the
// nearest placed ancestor), never misplaced.

/** Offsets of a value token: for a string, the text inside its quotes. */
export interface TomlPlace {
  start: number;
  end: number;
}

/** A path as a lookup key: the parts joined by NUL (no TOML key can hold one unescaped). */
export function tomlPathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('\u0000');
}

/**
 * Every value's place by its key path (`tomlPathKey`): tables and array tables by their header,
 * keys by their value token, array items by index. Never throws.
 */
export function tomlPlaces(text: string): Map<string, TomlPlace> {
  const places = new Map<string, TomlPlace>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let pos = 0;
  const n = text.length;

  const skipInline = () => {
    while (pos < n && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  };
  const skipAll = () => {
    for (;;) {
      while (pos < n && /\s/.test(text[pos]!)) pos++;
      if (text[pos] === '#') {
        while (pos < n && text[pos] !== '\n') pos++;
        continue;
      }
      return;
    }
  };
  const toLineEnd = () => {
    while (pos < n && text[pos] !== '\n') pos++;
  };

  /** Where each part of the last key read is written. */
  let keyParts: TomlPlace[] = [];
  /** A dotted key: `a.b."c d"`. */
  const readKey = (): string[] | undefined => {
    const parts: string[] = [];
    keyParts = [];
    for (;;) {
      skipInline();
      const ch = text[pos];
      if (ch === '"' || ch === "'") {
        const close = text.indexOf(ch, pos + 1);
        if (close < 0) return undefined;
        parts.push(text.slice(pos + 1, close));
        keyParts.push({ start: pos + 1, end: close });
        pos = close + 1;
      } else {
        const match = /^[A-Za-z0-9_-]+/.exec(text.slice(pos, pos + 256));
        if (!match) return undefined;
        parts.push(match[0]);
        keyParts.push({ start: pos, end: pos + match[0].length });
        pos += match[0].length;
      }
      skipInline();
      if (text[pos] !== '.') return parts;
      pos++;
    }
  };

  /** A value at `path`: strings, arrays and inline tables are followed; other tokens run to a delimiter. */
  const readValue = (path: string[], depth: number): void => {
    skipInline();
    const start = pos;
    const ch = text[pos];
    if (depth > 32) return;
    if (text.startsWith('"""', pos) || text.startsWith("'''", pos)) {
      const quote = text.slice(pos, pos + 3);
      const close = text.indexOf(quote, pos + 3);
      const end = close < 0 ? n : close;
      places.set(tomlPathKey(path), { start: pos + 3, end });
      pos = close < 0 ? n : close + 3;
      return;
    }
    if (ch === '"' || ch === "'") {
      let i = pos + 1;
      while (i < n && text[i] !== ch && text[i] !== '\n') i += ch === '"' && text[i] === '\\' ? 2 : 1;
      places.set(tomlPathKey(path), { start: pos + 1, end: Math.min(i, n) });
      pos = Math.min(i + 1, n);
      return;
    }
    if (ch === '[') {
      pos++;
      let index = 0;
      for (;;) {
        skipAll();
        if (pos >= n) break;
        if (text[pos] === ']') {
          pos++;
          break;
        }
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        const before = pos;
        readValue([...path, String(index++)], depth + 1);
        if (pos === before) pos++;
      }
      places.set(tomlPathKey(path), { start, end: pos });
      return;
    }
    if (ch === '{') {
      pos++;
      for (;;) {
        skipInline();
        if (pos >= n || text[pos] === '\n') break;
        if (text[pos] === '}') {
          pos++;
          break;
        }
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        const key = readKey();
        skipInline();
        if (!key || text[pos] !== '=') break;
        placeDottedParents(path, key);
        pos++;
        readValue([...path, ...key], depth + 1);
      }
      places.set(tomlPathKey(path), { start, end: pos });
      return;
    }
    while (pos < n && !/[\s,\]}#]/.test(text[pos]!)) pos++;
    places.set(tomlPathKey(path), { start, end: pos });
  };

  /**
   * The tables a dotted key makes (`http.routers.api.rule = …` makes `http.routers.api`) are placed
   * at their part of the first key that makes them, unless a header already placed them.
   */
  const placeDottedParents = (base: string[], key: string[]): void => {
    for (let i = 0; i < key.length - 1; i++) {
      const at = tomlPathKey([...base, ...key.slice(0, i + 1)]);
      if (!places.has(at) && keyParts[i]) places.set(at, keyParts[i]!);
    }
  };

  while (pos < n) {
    skipAll();
    if (pos >= n) break;
    if (text[pos] === '[') {
      const arrayTable = text[pos + 1] === '[';
      const headerStart = pos;
      pos += arrayTable ? 2 : 1;
      const key = readKey();
      if (!key) {
        toLineEnd();
        continue;
      }
      skipInline();
      pos += arrayTable ? 2 : 1;
      if (arrayTable) {
        const counted = tomlPathKey(key);
        const index = arrayCounts.get(counted) ?? 0;
        arrayCounts.set(counted, index + 1);
        table = [...key, String(index)];
        if (!places.has(counted)) places.set(counted, { start: headerStart, end: pos });
      } else table = key;
      places.set(tomlPathKey(table), { start: headerStart, end: pos });
      toLineEnd();
      continue;
    }
    const key = readKey();
    skipInline();
    if (!key || text[pos] !== '=') {
      toLineEnd();
      continue;
    }
    placeDottedParents(table, key);
    pos++;
    readValue([...table, ...key], 0);
    toLineEnd();
  }
  return places;
}
