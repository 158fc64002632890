// A chart as the reader finds it in the workspace: Chart.yaml, the values files of each variant, and every template (partials included).
import { parse as parseYaml } from 'yaml';
import type { FileId } from '../../types.js';
import type { ReadContext } from '../input.js';
import { folderOf, inChart, joinPath } from './files.js';
import { combineValues, readValuesYaml, type CombinedValues, type NamedValuesFile, type TemplateFile } from './template/index.js';

export interface ChartTemplate {
  file: FileId;
  /** Helm's name for it: `<chart name>/templates/<path>`. */
  name: string;
  text: string;
}

export interface ValuesVariant {
  /** As shown in derived names and messages: the last values file, relative to the chart (`values.yaml`, `env/prod.yaml`). */
  name: string;
  files: FileId[];
  values: CombinedValues;
  /** Problems in its values files (Helm refuses such a file), with the file and offset. */
  problems: { file: FileId; offset: number; message: string }[];
}

export interface Chart {
  folder: FileId;
  chartFile: FileId;
  /** Chart.yaml as plain data (`.Chart`). */
  metadata: Record<string, unknown>;
  /** False for a chart read without its Chart.yaml (see `chartFolderEvidence`): `.Chart` is then unknown. */
  hasChartFile: boolean;
  templates: ChartTemplate[];
  variants: ValuesVariant[];
  valuesTexts: Map<FileId, string>;
  /** Dependencies Chart.yaml declares whose chart is not a folder under charts/ (not fetched, or packed as a .tgz). */
  missingDependencies: string[];
}

/** Templates a chart folder holds beyond those the run was given: at most this many are read (for their defines). */
const MAX_LISTED_TEMPLATES = 500;

/** Reads a chart: its metadata, its templates (`taken` plus the rest of its templates/ folder) and its values variants. */
export function readChart(folder: FileId, taken: readonly FileId[], context: ReadContext): Chart {
  const chartFile = joinPath(folder, 'Chart.yaml');
  const chartText = context.readText(chartFile)?.text;
  const metadata = plainMapping(chartText);
  const chartName = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : folder.slice(folder.lastIndexOf('/') + 1) || 'chart';
  const files = new Set(taken);
  for (const file of listTemplates(joinPath(folder, 'templates'), context)) files.add(file);
  const templates: ChartTemplate[] = [];
  for (const file of [...files].sort()) {
    const text = context.readText(file)?.text;
    if (text !== undefined) templates.push({ file, name: `${chartName}/${inChart(folder, file)}`, text });
  }
  // Helm loads the templates of every subchart into the release's one set: their defines are this chart's too.
  for (const partial of subchartPartials(folder, chartName, context)) templates.push(partial);
  const valuesTexts = new Map<FileId, string>();
  const readValues = (file: FileId): NamedValuesFile | undefined => {
    const text = context.readText(file)?.text;
    if (text === undefined) return undefined;
    valuesTexts.set(file, text);
    return { name: file, file: readValuesYaml(text) };
  };
  const defaults = readValues(joinPath(folder, 'values.yaml')) ?? readValues(joinPath(folder, 'values.yml'));
  const variant = (name: string, named: NamedValuesFile[]): ValuesVariant => ({
    name,
    files: named.map((n) => n.name),
    values: combineValues(named),
    problems: named.flatMap((n) => n.file.problems.map((p) => ({ file: n.name, offset: p.offset, message: p.message }))),
  });
  const variants: ValuesVariant[] = [variant(defaults ? inChart(folder, defaults.name) : 'no values', defaults ? [defaults] : [])];
  for (const extra of context.config.helm.valuesFiles.get(folder) ?? []) {
    const named = readValues(extra);
    if (!named) {
      context.notAnalysed(extra, `the values file configured for the chart ${folder || '.'} (helm.valuesFiles) cannot be read`);
      continue;
    }
    variants.push(variant(extra.startsWith(`${folder}/`) || folder === '' ? inChart(folder, extra) : extra, [...(defaults ? [defaults] : []), named]));
  }
  return { folder, chartFile, metadata, hasChartFile: chartText !== undefined, templates, variants, valuesTexts, missingDependencies: missingDependencies(metadata, folder, context) };
}

/** At most this many subchart partials are read. */
const MAX_SUBCHART_PARTIALS = 200;

/** The partials (`_*.tpl`, `_*.yaml`) of the subcharts vendored as folders under charts/, named as Helm names them. */
function subchartPartials(folder: FileId, chartName: string, context: ReadContext): ChartTemplate[] {
  const charts = joinPath(folder, 'charts');
  const out: ChartTemplate[] = [];
  for (const sub of context.fs.readDirectory(charts) ?? []) {
    const subFolder = joinPath(charts, sub);
    if (!context.fs.stat(subFolder)?.isDirectory) continue;
    for (const file of listTemplates(joinPath(subFolder, 'templates'), context)) {
      if (out.length >= MAX_SUBCHART_PARTIALS) return out;
      if (!file.slice(file.lastIndexOf('/') + 1).startsWith('_')) continue;
      const text = context.readText(file)?.text;
      if (text !== undefined) out.push({ file, name: `${chartName}/${inChart(folder, file)}`, text });
    }
  }
  return out;
}

/**
 * The names of the dependencies the chart declares that have no folder under charts/ to read their
 * templates from: Chart.yaml's `dependencies` (Helm 3) and requirements.yaml's (Helm 2 charts, `apiVersion: v1`).
 */
function missingDependencies(metadata: Record<string, unknown>, folder: FileId, context: ReadContext): string[] {
  const requirements = plainMapping(context.fs.stat(joinPath(folder, 'requirements.yaml'))?.isFile ? context.readText(joinPath(folder, 'requirements.yaml'))?.text : undefined);
  const dependencies = [...(Array.isArray(metadata.dependencies) ? metadata.dependencies : []), ...(Array.isArray(requirements.dependencies) ? requirements.dependencies : [])];
  const out: string[] = [];
  for (const dependency of dependencies) {
    const name = dependency !== null && typeof dependency === 'object' ? (dependency as Record<string, unknown>).name : undefined;
    if (typeof name !== 'string' || name === '' || name.includes('/')) continue;
    if (!context.fs.stat(joinPath(joinPath(folder, 'charts'), name))?.isDirectory) out.push(name);
  }
  return out;
}

/** Template files under a chart's templates/ folder, through the run's file system (bounded). */
function listTemplates(folder: FileId, context: ReadContext): FileId[] {
  const found: FileId[] = [];
  const walk = (dir: FileId, depth: number) => {
    if (depth > 4) return;
    for (const name of context.fs.readDirectory(dir) ?? []) {
      if (found.length >= MAX_LISTED_TEMPLATES) return;
      const path = joinPath(dir, name);
      const stat = context.fs.stat(path);
      if (stat?.isDirectory) walk(path, depth + 1);
      else if (stat?.isFile && /\.(ya?ml|tpl|txt)$/i.test(name)) found.push(path);
    }
  };
  walk(folder, 0);
  return found;
}

function plainMapping(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const value: unknown = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function templateFilesOf(chart: Chart): TemplateFile[] {
  return chart.templates.map((t) => ({ name: t.name, text: t.text }));
}

export { folderOf };
