// nginx written inside Kubernetes YAML (ConfigMap `*.conf` keys, ingress-nginx snippet annotations), parsed with spans in the YAML file.
import type { FileId, Problem } from '../../types.js';
import type { K8sObject, ManifestFile as K8sFile } from './manifests.js';
import type { ScalarFact } from '../../yaml/view.js';
import type { NginxConfig, NginxDirective, NginxFile } from './ast.js';
import { fnmatchRegExp } from './glob.js';
import { isStockInclude } from './includes.js';
import { includeDirectives, parseNginxText } from './parser.js';
import { looksLikeNginx } from './detect.js';

/** One piece of nginx inside a YAML file. */
export interface EmbeddedNginx {
  /** `ConfigMap default/gateway key nginx.conf`, `Ingress default/chat annotation …/server-snippet`. */
  label: string;
  /** The key (ConfigMap) or annotation name. */
  name: string;
  object: K8sObject;
  value: ScalarFact;
}

/** Annotations whose value ingress-nginx pastes into the server or location block it generates. */
const SNIPPET_ANNOTATIONS = /(^|\/)(server-snippet|configuration-snippet)$/;

/**
 * The nginx pieces of parsed YAML files: ConfigMap `data` keys ending in `.conf` whose text looks
 * like nginx, and ingress-nginx `server-snippet`/`configuration-snippet` annotations. Only block
 * scalars (`|`, `|-`) and one-line plain values are read: their text is the file's text
 * character for character, so spans stay exact. A quoted or folded value is listed, not guessed.
 */
export function findEmbeddedNginx(files: readonly K8sFile[]): { pieces: EmbeddedNginx[]; skipped: Problem[] } {
  const pieces: EmbeddedNginx[] = [];
  const skipped: Problem[] = [];
  for (const file of files) {
    let found = piecesByFile.get(file);
    if (!found) {
      found = findInFile(file);
      piecesByFile.set(file, found);
    }
    pieces.push(...found.pieces);
    skipped.push(...found.skipped);
  }
  return { pieces, skipped };
}

/**
 * What one parsed file holds, kept with it: the language server hands the same parsed file to every
 * re-lint until its text changes, and an edit re-reads every manifest of the workspace.
 */
const piecesByFile = new WeakMap<K8sFile, { pieces: EmbeddedNginx[]; skipped: Problem[] }>();

function findInFile(file: K8sFile): { pieces: EmbeddedNginx[]; skipped: Problem[] } {
  const pieces: EmbeddedNginx[] = [];
  const skipped: Problem[] = [];
  for (const object of file.objects) {
    const { view, node } = object;
    const name = `${object.namespace}/${object.name?.text ?? '?'}`;
    if (object.kind === 'ConfigMap') {
      for (const { key, value } of view.fields(view.get(node, 'data'))) {
        const scalar = view.scalar(value);
        if (!key.text.endsWith('.conf') || !scalar || !looksLikeNginx(scalar.text)) continue;
        const piece = { label: `ConfigMap ${name} key ${key.text}`, name: key.text, object, value: scalar };
        if (readable(scalar)) pieces.push(piece);
        else skipped.push(notReadable(piece));
      }
    }
    const annotations = view.get(view.get(node, 'metadata'), 'annotations');
    for (const { key, value } of view.fields(annotations)) {
      const scalar = view.scalar(value);
      if (!SNIPPET_ANNOTATIONS.test(key.text) || !scalar) continue;
      const piece = { label: `${object.kind} ${name} annotation ${key.text}`, name: key.text, object, value: scalar };
      if (readable(scalar)) pieces.push(piece);
      else skipped.push(notReadable(piece));
    }
  }
  return { pieces, skipped };
}

function readable(value: ScalarFact): boolean {
  if (value.unresolved) return false;
  return value.style === 'literal' || (value.style === 'plain' && !value.text.includes('\n'));
}

function notReadable(piece: EmbeddedNginx): Problem {
  const why = piece.value.unresolved ? 'it holds template expressions' : `it is written as a ${piece.value.style} scalar, whose text differs from the file's characters`;
  return { kind: 'not-analysed', message: `the nginx in ${piece.label} is not analysed: ${why}; write it as a literal block (|)`, span: piece.value.span };
}

/**
 * The YAML file's text with everything but the value blanked (line breaks kept): nginx ignores the
 * block's indentation, so the parse of this text has spans that are offsets into the YAML file.
 */
export function blankedText(yamlText: string, value: ScalarFact): string {
  let start = value.span.start;
  if (value.style === 'literal') {
    // The content starts on the line after the block header (`|`, `|-`, `|2`).
    const headerEnd = yamlText.indexOf('\n', start);
    start = headerEnd < 0 ? value.span.end : headerEnd + 1;
  }
  const end = Math.min(value.span.end, yamlText.length);
  let out = '';
  for (let i = 0; i < yamlText.length; i++) {
    const c = yamlText[i]!;
    out += (i >= start && i < end) || c === '\n' || c === '\r' ? c : ' ';
  }
  return out;
}

/**
 * nginx configs from the ConfigMap keys and snippets: within one ConfigMap, an include whose file
 * name matches other keys includes them (a ConfigMap mounted as one folder), and the keys no other
 * key includes are the entries. Snippets are fragments of their own.
 */
export function embeddedNginxConfigs(pieces: readonly EmbeddedNginx[], textOf: (file: FileId) => string | undefined): NginxConfig[] {
  const configs: NginxConfig[] = [];
  const byObject = new Map<K8sObject, Array<{ piece: EmbeddedNginx; text: string }>>();
  for (const piece of pieces) {
    const text = textOf(piece.object.file);
    if (text === undefined) continue;
    const list = byObject.get(piece.object) ?? [];
    list.push({ piece, text: blankedText(text, piece.value) });
    byObject.set(piece.object, list);
  }
  for (const keys of byObject.values()) {
    const names = keys.map((k) => k.piece.name);
    const parseAll = (): NginxFile[] => keys.map(({ piece, text }) => parseNginxText(piece.object.file, text));
    const included = new Set<number>();
    parseAll().forEach((parsed, own) => {
      for (const d of includeDirectives(parsed.nodes)) for (const t of matchingKeys(d, names)) if (t !== own) included.add(t);
    });
    keys.forEach((entry, entryIndex) => {
      if (included.has(entryIndex) && keys.length > 1) return;
      // Each entry gets its own parse: include directives point at files by index within their config.
      const parsed = parseAll();
      // The entry first, then every other key of the ConfigMap.
      const order = [entryIndex, ...keys.map((_, i) => i).filter((i) => i !== entryIndex)];
      const files = order.map((i) => parsed[i]!);
      const problems: Problem[] = [];
      files.forEach((file, position) => {
        const own = order[position]!;
        for (const d of includeDirectives(file.nodes)) {
          const targets = matchingKeys(d, names).filter((t) => t !== own);
          d.includes = targets.map((t) => order.indexOf(t));
          const pattern = d.args[0]?.value ?? '';
          if (targets.length === 0 && !isGlob(d) && !isStockInclude(pattern)) {
            // Its content is unknown (the block's settings are not defaults); said as info, never an error of the manifest.
            d.includeUnmapped = true;
            problems.push({ kind: 'not-analysed', message: `include "${pattern}" names no other key of this ConfigMap, so what it holds is unknown and the settings of the block that includes it are not taken as defaults`, span: d.args[0]?.span ?? d.nameSpan });
          }
        }
      });
      configs.push({ entry: entry.piece.object.file, files, problems: [...files.flatMap((f) => f.problems), ...problems], includedAs: order.map((i) => keys[i]!.piece.name) });
    });
  }
  return configs;
}

function isGlob(d: NginxDirective): boolean {
  return /[*?[]/.test(d.args[0]?.value ?? '');
}

/** Keys of the same ConfigMap an include names by file name (the folder is where the ConfigMap is mounted). */
function matchingKeys(d: NginxDirective, names: readonly string[]): number[] {
  const pattern = d.args[0]?.value;
  if (pattern === undefined) return [];
  const base = pattern.slice(pattern.lastIndexOf('/') + 1);
  const re = fnmatchRegExp(base);
  return names.map((name, i) => (re.testExact(name) ? i : -1)).filter((i) => i >= 0);
}
