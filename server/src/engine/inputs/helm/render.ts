// Renders each of a chart's templates with each values variant and hands every rendered manifest to the other inputs, placed back on the chart's files.
import { parseAllDocuments } from 'yaml';
import type { FileId, Problem } from '../../types.js';
import type { ReadContext } from '../input.js';
import type { Chart } from './chart.js';
import { templateFilesOf } from './chart.js';
import { joinPath } from './files.js';
import { derivedSourceOf } from './placement.js';
import { isRenderedTemplate, parseChartTemplates, renderTemplate, type ChartFileReader, type RenderError, type UnresolvedRange } from './template/index.js';
import { resolveFileId } from '../../workspace-fs.js';
import { RENDERED_UNKNOWN, RENDERED_UNKNOWN_ENTRY, RENDERED_UNKNOWN_QUOTED } from '../../yaml/templates.js';

/**
 * Printed where a value cannot be known offline: the YAML readers treat `${…}` as a template
 * expression, so the value is unknown to the rules (never a default). A plain scalar in block
 * context; inside a flow collection it breaks the YAML, and that document is then not analysed.
 */
export const UNRESOLVED_TEXT = RENDERED_UNKNOWN;
/** The same length, quoted: what an unknown value becomes inside a flow collection (`[a, ${UNRESOLVED}]` is not YAML). */
const QUOTED_UNRESOLVED_TEXT = RENDERED_UNKNOWN_QUOTED;

export interface ChartRenderSummary {
  rendered: number;
  failed: number;
}

/**
 * Why a named template the chart does not define renders as unknown rather than failing the template.
 * A dependency Chart.yaml (or requirements.yaml) declares but the workspace does not hold (`charts/` is
 * usually not committed: `helm dependency build` fetches it) explains it: library charts name their
 * templates after themselves (`common.names.fullname` in bitnami's `common`). Any other name no file
 * of the chart defines (a helpers file outside the linted files, a typo) is unknown as well, and
 * `undefinedTemplates` reports it: `helm template` fails on it, but the rest of the template can
 * still be checked.
 */
function unknownDefines(chart: Chart): (name: string) => string {
  return (name) => {
    const owner = chart.missingDependencies.find((dependency) => name.startsWith(`${dependency}.`));
    if (owner !== undefined) return `template ${JSON.stringify(name)} comes from the chart dependency ${owner}, which is not in the workspace (${joinPath(joinPath(chart.folder, 'charts'), owner)} is fetched by helm dependency build)`;
    return `${UNDEFINED_TEMPLATE}${JSON.stringify(name)}`;
  };
}

/** The start of the reason of an include whose template no file of the chart defines. */
const UNDEFINED_TEMPLATE = 'no file of the chart defines the template ';

/** One problem per template file for the names it includes that no file of the chart defines (at the first include). */
function undefinedTemplates(unresolved: readonly UnresolvedRange[], templateFiles: ReadonlyMap<string, FileId>, template: FileId, variant: string): Problem | undefined {
  const names = new Set<string>();
  let first: UnresolvedRange | undefined;
  for (const range of unresolved) {
    if (!range.reason.startsWith(UNDEFINED_TEMPLATE)) continue;
    names.add(range.reason.slice(UNDEFINED_TEMPLATE.length));
    first ??= range;
  }
  if (!first) return undefined;
  const file = templateFiles.get(first.template) ?? template;
  const where = file === template ? '' : ` (in ${file})`;
  const list = [...names].join(', ');
  return {
    kind: 'not-analysed',
    message: `partly analysed: Helm template ${template} rendered with ${variant} includes ${list}${where}, which no file of the chart defines; helm template fails until ${names.size === 1 ? 'it is' : 'they are'} defined, and what ${names.size === 1 ? 'it prints' : 'they print'} is unknown here`,
    span: { file, start: first.srcStart, end: first.srcEnd },
  };
}

/** Renders the templates of `chart` the run was given (`wanted`), once per values variant. */
export function renderChartInto(chart: Chart, wanted: ReadonlySet<FileId>, context: ReadContext): ChartRenderSummary {
  const summary: ChartRenderSummary = { rendered: 0, failed: 0 };
  const unknownDefine = unknownDefines(chart);
  const chartUnknown = chart.hasChartFile ? undefined : `${chart.chartFile} is not in the workspace`;
  const parsed = parseChartTemplates(templateFilesOf(chart));
  const templateFiles = new Map(chart.templates.map((t) => [t.name, t.file]));
  const problems: Problem[] = [];
  /** Template files with a problem reported already: one per file, the first one found. */
  const reportedTemplates = new Set<FileId>();
  for (const variant of chart.variants) {
    for (const problem of variant.problems) {
      problems.push({ kind: 'not-analysed', message: `not analysed: Helm values file ${problem.file} cannot be read (${problem.message}); the chart is rendered with what could be read`, span: { file: problem.file, start: problem.offset, end: problem.offset } });
    }
  }
  for (const template of chart.templates) {
    if (!wanted.has(template.file) || !isRenderedTemplate(template.name) || /\.txt$/i.test(template.file)) continue;
    for (const variant of chart.variants) {
      context.stop.check();
      const result = renderTemplate(parsed, template.name, { values: variant.values.values, chart: chart.metadata, chartUnknown, files: chartFileReader(chart, context) }, { unresolvedText: UNRESOLVED_TEXT, unknownDefine });
      if (!result.ok) {
        if (!reportedTemplates.has(template.file)) problems.push(renderProblem(result.error, variant.name, templateFiles, template.file));
        reportedTemplates.add(template.file);
        summary.failed++;
        continue;
      }
      if (!reportedTemplates.has(template.file)) {
        const undefinedProblem = undefinedTemplates(result.unresolved, templateFiles, template.file, variant.name);
        if (undefinedProblem) {
          problems.push(undefinedProblem);
          reportedTemplates.add(template.file);
        }
      }
      if (result.output.trim() === '') continue;
      const { text, broken } = withoutBrokenDocuments(result.output, result.unresolved.length > 0);
      for (const at of broken) {
        if (reportedTemplates.has(template.file)) break;
        const source = derivedSourceOf({ name: '', output: result.output, segments: result.segments, template: template.file, variant: variant.name, templateFiles, values: variant.values, valuesTexts: chart.valuesTexts });
        const span = source.templateRange(at.offset, at.offset + 1);
        const unresolved = result.unresolved.length > 0 ? ' (a value the linter cannot know offline is printed there)' : '';
        problems.push({ kind: 'not-analysed', message: `not analysed: Helm template ${template.file} rendered with ${variant.name} is not valid YAML${unresolved}: ${at.message}`, span });
        reportedTemplates.add(template.file);
      }
      if (text.trim() === '') continue;
      summary.rendered++;
      context.derive(
        derivedSourceOf({
          name: `${template.file}@${variant.name.replace(/\//g, '_')}${/\.ya?ml$/i.test(variant.name) ? '' : '.yaml'}`,
          output: text,
          segments: result.segments,
          template: template.file,
          variant: variant.name,
          templateFiles,
          values: variant.values,
          valuesTexts: chart.valuesTexts,
        }),
      );
    }
  }
  context.reportProblems(problems);
  return summary;
}

function renderProblem(error: RenderError, variant: string, templateFiles: ReadonlyMap<string, FileId>, template: FileId): Problem {
  const file = templateFiles.get(error.template) ?? template;
  const where = file === template ? '' : ` (in ${file})`;
  return {
    kind: 'not-analysed',
    message: `not analysed: Helm template ${template} does not render with ${variant}${where}: ${error.reason}`,
    span: { file: file, start: error.offset, end: error.offset },
  };
}

/**
 * The output with documents that are not valid YAML blanked out (offsets kept), and where each was
 * broken. A document that only breaks on an unknown value printed inside a flow collection is kept,
 * with that value quoted (same length, still read as unknown).
 */
function withoutBrokenDocuments(output: string, hasUnresolved: boolean): { text: string; broken: { offset: number; message: string }[] } {
  const broken: { offset: number; message: string }[] = [];
  let text = output;
  const documents = parseAllDocuments(output, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [];
  for (let index = 0; index < list.length; index++) {
    const document = list[index]!;
    const error = document.errors[0];
    if (!error) continue;
    const start = document.range[0];
    const end = index + 1 < list.length ? list[index + 1]!.range[0] : output.length;
    if (hasUnresolved) {
      const quote = (segment: string) => segment.split(UNRESOLVED_TEXT).join(QUOTED_UNRESOLVED_TEXT);
      const segment = text.slice(start, end);
      const repaired = [quote(segment), quote(withUnknownLabelEntries(segment))].find((candidate) => parseAllDocuments(candidate, { prettyErrors: false, uniqueKeys: false }).every((d) => d.errors.length === 0));
      if (repaired !== undefined) {
        text = text.slice(0, start) + repaired + text.slice(end);
        continue;
      }
    }
    broken.push({ offset: error.pos[0], message: error.message.split('\n')[0]! });
    text = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
  }
  return { text, broken };
}

/** An unknown entry of a mapping, as long as UNRESOLVED_TEXT: a key and a value both unknown to the readers. */
const UNKNOWN_ENTRY_TEXT = RENDERED_UNKNOWN_ENTRY;
/** Keys whose value is a set of labels: an unknown fragment there is unknown labels. */
const LABEL_MAPPING = /^\s*(?:labels|matchLabels|selector):\s*(?:#.*)?$/;

/**
 * Charts print labels with a helper on a line of its own (`{{- include "app.labels" . | nindent 4 }}`).
 * When that helper is unknown, the line holds only UNRESOLVED_TEXT, and the mapping it sits in is not
 * YAML. Under `labels`, `matchLabels` and `selector` such a line becomes one entry whose key and value
 * are unknown (same length, offsets kept): the known labels beside it are still read, and a selector
 * with an unknown entry picks no workload. Anywhere else (annotations, say) the document stays broken:
 * the keys a helper would print there may be the very settings the rules read.
 */
function withUnknownLabelEntries(text: string): string {
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== UNRESOLVED_TEXT) continue;
    const indent = line.length - line.trimStart().length;
    let parent = i - 1;
    while (parent >= 0 && (lines[parent]!.trim() === '' || lines[parent]!.length - lines[parent]!.trimStart().length >= indent)) parent--;
    if (parent < 0 || !LABEL_MAPPING.test(lines[parent]!)) continue;
    lines[i] = line.replace(UNRESOLVED_TEXT, UNKNOWN_ENTRY_TEXT);
    changed = true;
  }
  return changed ? lines.join('\n') : text;
}

/** `.Files.Get`: files inside the chart folder only, through the run's reads. */
function chartFileReader(chart: Chart, context: ReadContext): ChartFileReader {
  return {
    read(path) {
      const file = resolveFileId(joinPath(chart.folder, path));
      if (file === undefined || path.startsWith('/') || (chart.folder !== '' && !file.startsWith(`${chart.folder}/`))) return { unresolved: `${path} is outside the chart` };
      const stat = context.fs.stat(file);
      if (!stat) return null;
      const text = context.readText(file);
      return text ? text.text : { unresolved: `chart file ${path} cannot be read` };
    },
  };
}
