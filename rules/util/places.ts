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
