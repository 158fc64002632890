// The Helm input: charts (a folder with Chart.yaml) rendered in process with their values; each rendered manifest is read by the inputs after it, placed back on the template and values lines.
import { defineInput, type ReadContext } from '../input.js';
import { unchangedSource } from '../derived-sources.js';
import type { FileId } from '../../types.js';
import { readChart } from './chart.js';
import { candidateChartFolder, chartFileKind, joinPath } from './files.js';
import { renderChartInto } from './render.js';

export interface HelmChartSummary {
  folder: FileId;
  /** Values variants rendered: `values.yaml` and the files `helm.valuesFiles` names. */
  variants: string[];
  /** Templates rendered into manifests (per variant), and templates that did not render. */
  rendered: number;
  failed: number;
}

export interface HelmModel {
  charts: HelmChartSummary[];
}

declare module '../../workspace-model.js' {
  interface InputModels {
    /** The Helm charts of the workspace and what rendering them gave (their manifests are in the Kubernetes model). */
    helm: HelmModel;
  }
}

export const helmInput = defineInput({
  id: 'helm',
  language: 'helm',
  // Only the path is seen here: a templates/ file or values file outside a chart is handed back when read.
  claim: (file) => (chartFileKind(file) ? 'name' : undefined),
  reader(context) {
    /** Chart folder → the chart's files the run was given. */
    const charts = new Map<FileId, FileId[]>();
    const isChart = new Map<FileId, boolean>();
    const chartAt = (folder: FileId): boolean => {
      let known = isChart.get(folder);
      if (known === undefined) isChart.set(folder, (known = isChartFolder(folder, context)));
      return known;
    };
    return {
      take(file, text) {
        const kind = chartFileKind(file)!;
        const folder = candidateChartFolder(file, kind);
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        if (folder === undefined || !chartAt(folder)) {
          handBack(file, decoded.text, context);
          return;
        }
        context.addSource(file, decoded);
        let files = charts.get(folder);
        if (!files) charts.set(folder, (files = []));
        files.push(file);
      },
      build() {
        const model: HelmModel = { charts: [] };
        for (const [folder, files] of [...charts].sort(([a], [b]) => a.localeCompare(b))) {
          const taken = files.filter((f) => chartFileKind(f) === 'template');
          const chart = readChart(folder, taken, context);
          // Given only the chart's values or Chart.yaml (an editor linting the file it shows), every
          // template is rendered: what those values set is checked where the templates print it.
          const wanted = taken.length > 0 ? taken : chart.templates.map((t) => t.file);
          for (const template of chart.templates) {
            if (taken.length > 0 || context.hasSource(template.file)) continue;
            const decoded = context.readText(template.file);
            if (decoded) context.addSource(template.file, decoded);
          }
          const summary = renderChartInto(chart, new Set(wanted), context);
          model.charts.push({ folder, variants: chart.variants.map((v) => v.name), ...summary });
        }
        return model;
      },
    };
  },
  empty: () => ({ charts: [] }),
  present: (model) => model.charts.length > 0,
});

/**
 * A chart folder holds Chart.yaml. A folder whose Chart.yaml is not in the workspace (a partial
 * checkout, or a file list handed to the linter) is still read as a chart when it has Helm's layout:
 * a templates/ folder beside a values.yaml. `.Chart` is then unknown to its templates.
 */
function isChartFolder(folder: FileId, context: ReadContext): boolean {
  if (context.fs.stat(joinPath(folder, 'Chart.yaml'))?.isFile) return true;
  if (!context.fs.stat(joinPath(folder, 'templates'))?.isDirectory) return false;
  return context.fs.stat(joinPath(folder, 'values.yaml'))?.isFile === true || context.fs.stat(joinPath(folder, 'values.yml'))?.isFile === true;
}

/** A file named like a chart's that no chart holds is read by the other inputs as it is (same name, same offsets). */
function handBack(file: FileId, text: string, context: ReadContext): void {
  context.derive(unchangedSource(file, text));
}
