// Turns spans into the "file:line" places that messages name.
import { LineIndex, type Span, type WorkspaceModel } from '../../server/src/engine/rule-api.js';

const indexes = new WeakMap<object, Map<string, LineIndex>>();

/** `nginx/gateway.conf:14`: the 1-based line of the span's start. */
export function placeOf(model: WorkspaceModel, span: Span): string {
  let perModel = indexes.get(model.sources);
  if (!perModel) {
    perModel = new Map();
    indexes.set(model.sources, perModel);
  }
  let index = perModel.get(span.file);
  if (!index) {
    index = new LineIndex(model.sources.get(span.file)?.text ?? '');
    perModel.set(span.file, index);
  }
  return `${span.file}:${index.positionAt(span.start).line + 1}`;
}

/**
 * A hop or object name for a message's headline (engine/headline.ts): asides in parentheses and URL
 * schemes dropped (`AWS ALB in front of api (chains.frontedBy)` → `AWS ALB in front of api`). The
 * full label stays in the message's details and related information. Names are never cut: a name
 * cut mid-word would no longer be the name the workspace spells.
 */
export function headlineName(label: string): string {
  return label.replace(/\s*\([^()]*\)/g, '').replace(/\bhttps?:\/\//g, '').trim();
}
