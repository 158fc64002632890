// Which workspace files belong to a Helm chart, by path: the chart file, its values files and its templates.
import type { FileId } from '../../types.js';

export type ChartFileKind = 'chart' | 'values' | 'template';

const TEMPLATE = /(^|\/)templates\/(.+\/)?[^/]+\.(ya?ml|tpl|txt)$/i;
const VALUES = /^values([-_.][^/]*)?\.ya?ml$/i;

function baseName(file: FileId): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** What a path would be in a chart (the reader checks that a chart holds it). */
export function chartFileKind(file: FileId): ChartFileKind | undefined {
  const base = baseName(file);
  if (base === 'Chart.yaml') return 'chart';
  if (VALUES.test(base)) return 'values';
  if (TEMPLATE.test(file)) return 'template';
  return undefined;
}

export function folderOf(file: FileId): FileId {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

export function joinPath(folder: FileId, name: string): FileId {
  return folder === '' ? name : `${folder}/${name}`;
}

/**
 * The chart folder a file would belong to: its own folder for Chart.yaml and values files, the
 * folder holding the nearest `templates/` above it for a template.
 */
export function candidateChartFolder(file: FileId, kind: ChartFileKind): FileId | undefined {
  if (kind !== 'template') return folderOf(file);
  const parts = file.split('/');
  const at = parts.lastIndexOf('templates', parts.length - 2);
  return at < 0 ? undefined : parts.slice(0, at).join('/');
}

/** The path of a file relative to its chart folder. */
export function inChart(folder: FileId, file: FileId): string {
  return folder === '' ? file : file.slice(folder.length + 1);
}
