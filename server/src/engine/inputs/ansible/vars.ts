// The variables an Ansible template sees without an inventory: role defaults, the playbook's
// group_vars/all and role vars, in Ansible's precedence. A name that a group- or host-specific file
// also sets depends on the host: its value is unknown, never the `all` one.
import type { Node } from 'yaml';
import type { ReadContext } from '../input.js';
import type { FileId } from '../../types.js';
import type { YamlView } from '../../yaml/view.js';
import { renderJinja, UNKNOWN, type JinjaScope, type JinjaValue, type VariableOrigin } from './jinja.js';

/** Where a template sits in an Ansible project. */
export interface AnsibleLayout {
  /** The folder holding roles/, group_vars/ and the playbooks ('' for the workspace root). */
  projectDir: FileId;
  /** `roles/<name>` when the template belongs to a role. */
  roleDir?: FileId;
}

export interface AnsibleVariables {
  scope: JinjaScope;
  /** The vars files read, lowest precedence first. */
  files: FileId[];
  /** Names that depend on the host (set in a group_vars or host_vars file other than `all`). */
  hostDependent: Set<string>;
}

const YAML_NAMES = ['.yml', '.yaml', ''];

/** The project and role folders of a template, from Ansible's layout (`roles/<role>/templates/…`, or a playbook's `templates/`). */
export function layoutOf(template: FileId): AnsibleLayout {
  const role = /^(?:(.*)\/)?roles\/([^/]+)\/templates\//.exec(template);
  if (role) return { projectDir: role[1] ?? '', roleDir: `${role[1] ? `${role[1]}/` : ''}roles/${role[2]}` };
  const templates = /^(?:(.*)\/)?templates\//.exec(template);
  if (templates) return { projectDir: templates[1] ?? '' };
  const slash = template.lastIndexOf('/');
  return { projectDir: slash < 0 ? '' : template.slice(0, slash) };
}

const join = (dir: FileId, name: string): FileId => (dir === '' ? name : `${dir}/${name}`);

/** Files of one vars location: `main.yml` (or `all`), or every YAML file of a folder with that name. */
function varsFilesAt(context: ReadContext, dir: FileId, name: string): FileId[] {
  const out: FileId[] = [];
  for (const ext of YAML_NAMES) {
    const file = join(dir, name + ext);
    const stat = context.fs.stat(file);
    if (stat?.isFile) out.push(file);
    else if (stat?.isDirectory && ext === '') {
      for (const entry of context.fs.readDirectory(file) ?? []) if (/\.ya?ml$/i.test(entry) || !entry.includes('.')) out.push(join(file, entry));
    }
  }
  return out;
}

/** The group_vars folders of a project: beside the playbooks, and in an inventory folder. */
function groupVarsDirs(context: ReadContext, projectDir: FileId): FileId[] {
  const dirs: FileId[] = [];
  const consider = (dir: FileId) => {
    if (context.fs.stat(join(dir, 'group_vars'))?.isDirectory) dirs.push(join(dir, 'group_vars'));
  };
  consider(projectDir);
  for (const inventory of ['inventory', 'inventories']) {
    const base = join(projectDir, inventory);
    if (!context.fs.stat(base)?.isDirectory) continue;
    consider(base);
    for (const entry of context.fs.readDirectory(base) ?? []) if (context.fs.stat(join(base, entry))?.isDirectory) consider(join(base, entry));
  }
  return dirs;
}

interface Entry {
  value: JinjaValue;
  origin?: VariableOrigin;
}

/** The variables of a template's project and role, or undefined when the template is in no Ansible project (no vars file and no role). */
export function readVariables(context: ReadContext, layout: AnsibleLayout): AnsibleVariables | undefined {
  const layers: Array<{ files: FileId[]; entries: Map<string, Entry> }> = [];
  const hostDependent = new Set<string>();
  const files: FileId[] = [];
  /** The variables of some vars files, later files overriding earlier ones; each file read is recorded. */
  const readAll = (found: FileId[]): Map<string, Entry> => {
    const entries = new Map<string, Entry>();
    for (const file of found) {
      const read = readVarsFile(context, file);
      if (!read) continue;
      files.push(file);
      for (const [name, entry] of read) entries.set(name, entry);
    }
    return entries;
  };
  const layer = (found: FileId[]) => layers.push({ files: found, entries: readAll(found) });
  if (layout.roleDir) layer(varsFilesAt(context, join(layout.roleDir, 'defaults'), 'main'));
  const groupDirs = groupVarsDirs(context, layout.projectDir);
  // Several inventories (staging, production) may each set `all`: a name they set differently is unknown.
  const alls = groupDirs.map((dir) => varsFilesAt(context, dir, 'all'));
  const allEntries = new Map<string, Entry>();
  for (const found of alls) {
    for (const [name, entry] of readAll(found)) {
      const before = allEntries.get(name);
      allEntries.set(name, before && !sameValue(before.value, entry.value) ? { value: UNKNOWN } : entry);
    }
  }
  layers.push({ files: alls.flat(), entries: allEntries });
  for (const dir of groupDirs) {
    for (const entry of context.fs.readDirectory(dir) ?? []) {
      if (/^all(\.ya?ml)?$/i.test(entry)) continue;
      const path = join(dir, entry);
      const found = context.fs.stat(path)?.isDirectory ? varsFilesAt(context, dir, entry) : [path];
      for (const file of found) for (const name of readVarsFile(context, file)?.keys() ?? []) hostDependent.add(name);
    }
  }
  const hostVars = join(layout.projectDir, 'host_vars');
  if (context.fs.stat(hostVars)?.isDirectory) {
    for (const entry of context.fs.readDirectory(hostVars) ?? []) {
      const path = join(hostVars, entry);
      const found = context.fs.stat(path)?.isDirectory ? varsFilesAt(context, hostVars, entry) : [path];
      for (const file of found) for (const name of readVarsFile(context, file)?.keys() ?? []) hostDependent.add(name);
    }
  }
  if (layout.roleDir) layer(varsFilesAt(context, join(layout.roleDir, 'vars'), 'main'));
  if (files.length === 0 && !layout.roleDir) return undefined;

  // Role vars override everything here, so a host-specific file cannot change them.
  const roleVars = layout.roleDir ? layers[layers.length - 1]!.entries : new Map<string, Entry>();
  const merged = new Map<string, Entry>();
  for (const { entries } of layers) for (const [name, entry] of entries) merged.set(name, entry);
  const resolving = new Set<string>();
  const resolved = new Map<string, Entry>();
  const scope: JinjaScope = {
    lookup(name) {
      if (hostDependent.has(name) && !roleVars.has(name)) return { value: UNKNOWN };
      const known = resolved.get(name);
      if (known) return known;
      const entry = merged.get(name);
      if (!entry) return undefined;
      // Ansible templates variable values lazily: `timeout: "{{ base }}s"` reads `base` when used.
      if (typeof entry.value === 'string' && /\{\{|\{%/.test(entry.value)) {
        if (resolving.has(name)) return { value: UNKNOWN };
        resolving.add(name);
        const rendered = renderJinja(entry.value, scope);
        resolving.delete(name);
        const unknown = rendered.failed || rendered.segments.some((s) => s.kind === 'expr' && s.unknown);
        const result: Entry = { value: unknown ? UNKNOWN : rendered.output };
        resolved.set(name, result);
        return result;
      }
      resolved.set(name, entry);
      return entry;
    },
  };
  return { scope, files, hostDependent };
}

function sameValue(a: JinjaValue, b: JinjaValue): boolean {
  return typeof a !== 'object' && typeof b !== 'object' ? a === b : JSON.stringify(a) === JSON.stringify(b);
}

/** The top-level variables of one vars file, with where each scalar is written. */
function readVarsFile(context: ReadContext, file: FileId): Map<string, Entry> | undefined {
  const yaml = context.yaml(file);
  const document = yaml?.documents.find((d) => d.status !== 'empty' && d.status !== 'syntax');
  if (!document) return undefined;
  const decoded = context.readText(file);
  const view = document.view;
  const root = view.asMap(document.document.contents);
  if (!root) return undefined;
  const out = new Map<string, Entry>();
  for (const field of view.fields(root)) {
    const name = field.key.text;
    const scalar = view.scalar(field.value);
    const value = toValue(view, field.value, 0);
    out.set(name, scalar ? { value, origin: { file, start: scalar.span.start, end: scalar.span.end, text: decoded?.text.slice(scalar.span.start, scalar.span.end) ?? scalar.text } } : { value });
  }
  return out;
}

/** A YAML node as Ansible (PyYAML, YAML 1.1) reads it. */
function toValue(view: YamlView, node: Node | undefined, depth: number): JinjaValue {
  if (depth > 32) return UNKNOWN;
  const map = view.asMap(node);
  if (map) return { kind: 'map', entries: new Map(view.fields(map).map((f) => [f.key.text, toValue(view, f.value, depth + 1)])) };
  const seq = view.asSeq(node);
  if (seq) return view.items(seq).map((item) => toValue(view, item, depth + 1));
  const scalar = view.scalar(node);
  if (!scalar) return node === undefined ? null : UNKNOWN;
  if (scalar.style !== 'plain') return scalar.text;
  const text = scalar.text;
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(text)) return true;
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(text)) return false;
  // YAML 1.1 reads `010` as octal and `1_000` with underscores: left unknown rather than misread.
  if (/^[-+]?(0|[1-9]\d*)$/.test(text)) return Number(text);
  if (/^[-+]?\d[\d_]*$/.test(text)) return UNKNOWN;
  if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}
