// A Traefik configuration file (YAML or TOML, static or dynamic) read into facts; never throws: a file that does not parse is listed as not analysed.
import type { FileId, Problem } from '../../types.js';
import { firstDataDocument, looksLikeK8s, type YamlFile } from '../../yaml/file.js';
import { dynamicOf, emptyFacts, staticOf, type TraefikFacts } from './facts.js';
import { treeOfToml, treeOfYaml } from './sources.js';
import type { ConfigNode } from './tree.js';

export interface TraefikFileFacts {
  facts: TraefikFacts;
  problems: Problem[];
}

/** `traefik.yml`, `traefik.yaml`, `traefik.toml`: Traefik's static configuration file names. */
export function isTraefikStaticName(file: FileId): boolean {
  return /^traefik\.(ya?ml|toml)$/i.test(file.slice(file.lastIndexOf('/') + 1));
}

// Keep in step with the Traefik alternative of .pre-commit-hooks.yaml.
const OTHER_TOML = /^(cargo|pyproject|poetry|\.?rustfmt|clippy|netlify|wrangler|fly|\.?taplo|\.?ruff|book|rust-toolchain|deno|dprint|samconfig|hugo|mypy|pdm|shuttle)\.toml$/i;

/** A TOML file that may be Traefik's: every `.toml` but the names other tools own. */
export function isTraefikTomlCandidate(file: FileId): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return /\.toml$/i.test(name) && !OTHER_TOML.test(name);
}

/**
 * A cheap look at a text: a dynamic configuration (`http:` with routers, services, middlewares or
 * serversTransports) or a static one (`entryPoints`), in YAML or TOML.
 */
export function looksLikeTraefik(file: FileId, text: string): boolean {
  if (/\.toml$/i.test(file)) return /^\s*\[\[?\s*(http\.(routers|services|middlewares|serversTransports)|entryPoints\.|serversTransport\b)/im.test(text);
  if (/^entryPoints:[ \t]*(#.*)?\r?$/m.test(text)) return true;
  return /^http:[ \t]*(#.*)?\r?$/m.test(text) && /^[ \t]+(routers|services|middlewares|serversTransports):/m.test(text);
}

/** A file named like Traefik's static configuration whose top-level keys are static ones (and that is no Kubernetes manifest). */
export function looksLikeTraefikStatic(text: string): boolean {
  if (looksLikeK8s(text)) return false;
  return /^\s*\[?(entryPoints|providers|api|log|accessLog|serversTransport|certificatesResolvers|metrics|ping)\]?\s*[:.\]=]/m.test(text);
}

/** A YAML file (the run's shared parse) read as Traefik configuration: static settings and `http` dynamic ones. */
export function traefikYamlFacts(yaml: YamlFile): TraefikFileFacts {
  const facts = emptyFacts(yaml.file);
  const first = firstDataDocument(yaml);
  const problems = [...yaml.problems];
  const tree = first ? treeOfYaml(first.view, first.document.contents as never) : undefined;
  if (tree) read(yaml.file, tree, facts);
  else if (problems.length === 0) problems.push({ kind: 'not-analysed', message: 'not analysed: the Traefik configuration holds no YAML mapping', span: { file: yaml.file, start: 0, end: 0 } });
  return { facts, problems };
}

/** A TOML file read as Traefik configuration. */
export function traefikTomlFacts(file: FileId, text: string): TraefikFileFacts {
  const facts = emptyFacts(file);
  const { tree, problems } = treeOfToml(file, text);
  if (tree) read(file, tree, facts);
  return { facts, problems };
}

function read(file: FileId, tree: ConfigNode, facts: TraefikFacts): void {
  const found = staticOf(file, tree);
  if (found) facts.statics.push(found);
  dynamicOf(file, tree, 'file', facts);
}
