// Builds a small chart around a template text for the Helm template engine's tests.
import { parseChartTemplates, readValuesYaml, renderTemplate, type ChartFileReader, type RenderContextInput, type RenderOptions, type RenderResult } from '../../server/src/engine/inputs/helm/template/index.js';

export const MAIN = 'mychart/templates/main.yaml';
export const HELPERS = 'mychart/templates/_helpers.tpl';

export interface ChartCase {
  template: string;
  helpers?: string;
  values?: string;
  release?: RenderContextInput['release'];
  kubeVersion?: string;
  apiVersions?: string[];
  files?: Record<string, string>;
  options?: RenderOptions;
}

/** Renders `template` as mychart/templates/main.yaml with the case's values, helpers, release and cluster. */
export function renderCase(c: ChartCase): RenderResult {
  const files = [{ name: MAIN, text: c.template }, ...(c.helpers !== undefined ? [{ name: HELPERS, text: c.helpers }] : [])];
  const chart = parseChartTemplates(files);
  const values = readValuesYaml(c.values ?? '');
  if (values.problems.length > 0) throw new Error(`bad test values: ${values.problems[0]!.message}`);
  const reader: ChartFileReader | undefined = c.files
    ? { read: (path) => c.files![path] ?? null, list: () => Object.keys(c.files!) }
    : undefined;
  return renderTemplate(
    chart,
    MAIN,
    {
      values: values.values,
      chart: { name: 'mychart', version: '1.2.3', appVersion: '2.0.0', apiVersion: 'v2' },
      release: { name: 'rel', namespace: 'ns', ...c.release },
      capabilities: { kubeVersion: c.kubeVersion ?? 'v1.28.3', ...(c.apiVersions ? { apiVersions: c.apiVersions } : {}) },
      ...(reader ? { files: reader } : {}),
    },
    c.options,
  );
}

/** The output of a render that must succeed. */
export function outputOf(c: ChartCase): string {
  const result = renderCase(c);
  if (!result.ok) throw new Error(`render failed (${result.error.kind}) at ${result.error.template}:${result.error.offset}: ${result.error.reason}`);
  return result.output;
}
