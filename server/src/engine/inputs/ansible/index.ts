// The Ansible input: Jinja templates of roles and playbooks (`roles/<role>/templates/*.j2`), rendered
// in process with the variables the project's vars files set (role defaults, group_vars/all, role
// vars). Each rendered text is read by the inputs that claim it (nginx, HAProxy, Kubernetes), and
// what they find is placed back on the template, with the vars line as a related location.
import { defineInput, type DerivedSource, type ReadContext } from '../input.js';
import { segmentIndexAt, unchangedSource } from '../derived-sources.js';
import type { FileId, Related, Span } from '../../types.js';
import { renderJinja, type OutputSegment } from './jinja.js';
import { layoutOf, readVariables } from './vars.js';

export interface AnsibleTemplateSummary {
  template: FileId;
  /** The name its rendered text is read under. */
  renderedAs?: FileId;
  /** The vars files it was rendered with, lowest precedence first. */
  varsFiles: FileId[];
  /** Why it was not rendered, when it was not. */
  failed?: string;
}

export interface AnsibleModel {
  templates: AnsibleTemplateSummary[];
}

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Ansible Jinja templates and what rendering them with the project's vars gave (their texts are read by the other inputs). */
    ansible: AnsibleModel;
  }
}

const JINJA_SUFFIX = /\.(j2|jinja2?)$/i;

export const ansibleInput = defineInput({
  id: 'ansible',
  language: 'jinja',
  claim: (file) => (JINJA_SUFFIX.test(file) ? 'name' : undefined),
  reader(context) {
    const templates: AnsibleTemplateSummary[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const layout = layoutOf(file);
        const variables = readVariables(context, layout);
        // Not in an Ansible project (a j2cli or envtpl template beside a Dockerfile): read as it is, as before.
        if (!variables) return context.derive(unchangedSource(file, decoded.text));
        const result = renderJinja(decoded.text, variables.scope);
        const summary: AnsibleTemplateSummary = { template: file, varsFiles: variables.files };
        templates.push(summary);
        if (result.failed) {
          summary.failed = result.failed.reason;
          // A template of something no input reads (a systemd unit, an env file) is no loss: not listed.
          if (!readsAsConfig(file, decoded.text)) return;
          context.addSource(file, decoded);
          context.reportProblems([{ kind: 'not-analysed', message: `not analysed: this Ansible template cannot be rendered offline, because ${result.failed.reason}`, span: { file, start: result.failed.offset, end: result.failed.offset } }]);
          return;
        }
        const renderedAs = renderedName(file, result.output, context);
        if (!renderedAs) return;
        summary.renderedAs = renderedAs;
        context.addSource(file, decoded);
        // Shown in output: findings point at the vars lines that set the values they read.
        for (const varsFile of variables.files) {
          const text = context.hasSource(varsFile) ? undefined : context.readText(varsFile);
          if (text) context.addSource(varsFile, text);
        }
        if (result.partial.length > 0) {
          context.reportProblems(result.partial.map((p) => ({ kind: 'not-analysed' as const, message: `partly analysed: ${p.reason}`, span: { file, start: p.offset, end: p.offset } })));
        }
        context.derive(derivedSourceOf(file, renderedAs, result.output, result.segments));
      },
      build: () => ({ templates }),
    };
  },
  empty: () => ({ templates: [] }),
  present: (model) => model.templates.length > 0,
});

/**
 * The name the rendered text is read under: the template's name without `.j2` (`nginx.conf.j2` →
 * `nginx.conf`), with an extension its content asks for when the name has none (`ingress.j2` →
 * `ingress.yaml`); `.rendered` is added before the extension when a workspace file has that name.
 * Undefined when the content is none of the languages read (a shell script, an INI file).
 */
function renderedName(template: FileId, output: string, context: ReadContext): FileId | undefined {
  let stem = template.replace(JINJA_SUFFIX, '');
  const base = stem.slice(stem.lastIndexOf('/') + 1);
  if (!base.includes('.')) {
    const ext = extensionFor(output);
    if (!ext) return undefined;
    stem += ext;
  }
  if (!context.fs.stat(stem)) return stem;
  const dot = stem.lastIndexOf('.');
  return `${stem.slice(0, dot)}.rendered${stem.slice(dot)}`;
}

// Only the name is chosen here (inputs never import each other): the input that claims it still reads the content.
const MANIFEST = /^apiVersion\s*:/m;
const MANIFEST_KIND = /^kind\s*:/m;
const HAPROXY_SECTION = /^[ \t]*(frontend|backend|listen|defaults)\b[^\n{;]*$/m;
const HAPROXY_KEYWORD = /^[ \t]*(timeout[ \t]+(client|server|connect|tunnel|http-request|http-keep-alive)|default_backend|use_backend|bind)[ \t]/m;
const NGINX_BLOCK = /^[ \t]*(http|server|location\b[^\n{]*|upstream[ \t]+\S+|events)[ \t]*\{/m;

/** The extension a rendered text without one is read under: a manifest, an HAProxy or an nginx configuration; undefined for anything else. */
function extensionFor(output: string): '.yaml' | '.cfg' | '.conf' | undefined {
  const head = output.length > 65536 ? output.slice(0, 65536) : output;
  if (MANIFEST.test(head) && MANIFEST_KIND.test(head)) return '.yaml';
  if (HAPROXY_SECTION.test(head) && HAPROXY_KEYWORD.test(head)) return '.cfg';
  if (NGINX_BLOCK.test(head)) return '.conf';
  return undefined;
}

/** Whether a template is of a language the inputs read: by the name it renders to, else by its text. */
function readsAsConfig(template: FileId, text: string): boolean {
  const stem = template.replace(JINJA_SUFFIX, '');
  const base = stem.slice(stem.lastIndexOf('/') + 1);
  if (/\.(conf|nginx|cfg|ya?ml)$/i.test(base)) return true;
  return !base.includes('.') && extensionFor(text) !== undefined;
}

/** Places output ranges back on the template: copied text exactly, a printed value on its `{{ … }}`, with the vars line that set it. */
function derivedSourceOf(template: FileId, name: FileId, output: string, segments: readonly OutputSegment[]): DerivedSource {
  const segmentAt = (at: number): OutputSegment | undefined => segments[segmentIndexAt(segments, at, output.length)];
  const srcRange = (segment: OutputSegment, start: number, end: number): { start: number; end: number } =>
    segment.kind === 'text'
      ? { start: segment.srcStart + Math.max(0, start - segment.outStart), end: segment.srcStart + Math.min(segment.outEnd, Math.max(start, end)) - segment.outStart }
      : { start: segment.srcStart, end: segment.srcEnd };
  return {
    file: name,
    text: output,
    fallback: { file: template, start: 0, end: 0 },
    origin(start, end): Span | undefined {
      const first = segmentAt(start);
      if (!first) return undefined;
      const last = end > start ? (segmentAt(end - 1) ?? first) : first;
      const from = srcRange(first, start, first === last ? end : first.outEnd).start;
      const to = srcRange(last, last === first ? start : last.outStart, end).end;
      return { file: template, start: from, end: Math.max(from, to) };
    },
    // Only copied text is the template's own: a printed value comes from a vars file whose syntax differs, so no edit is moved there.
    copiedFrom(start, end): Span | undefined {
      const segment = segmentAt(start);
      if (!segment || segment.kind !== 'text' || end > segment.outEnd) return undefined;
      return { file: template, ...srcRange(segment, start, end) };
    },
    related(start, end): Related[] {
      const out: Related[] = [];
      for (const segment of segments) {
        if (segment.kind !== 'expr' || !segment.origin || segment.outEnd <= start || segment.outStart >= Math.max(end, start + 1)) continue;
        out.push({ span: { file: segment.origin.file, start: segment.origin.start, end: segment.origin.end }, message: `${segment.variable ?? 'the value'}: ${segment.origin.text} (set in ${segment.origin.file})` });
      }
      return out;
    },
  };
}
