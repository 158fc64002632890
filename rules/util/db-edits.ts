// Edits that add a query bound to a database client where it is created: pg `statement_timeout`, MongoDB `timeoutMS`, keeping the file's style.
import { type Fix, type TextEdit, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { type DbClient } from '../../server/src/engine/inputs/ts/api.js';
import { addPropertyEdit, appendArgumentEdit, callShape, formatMs, objectAt } from './ts-edits.js';
import { valueText } from './chain-hops.js';

/** The option that bounds a query of this client, when the client takes it in its options object. */
export function queryBoundOption(client: DbClient): string | undefined {
  if (client.library === 'pg') return 'statement_timeout';
  if (client.library === 'mongodb' || client.library === 'mongoose') return 'timeoutMS';
  return undefined;
}

/**
 * Adds `<option>: <ms>` to the options literal of the client (`new Pool({ … })`), or passes a new
 * options object where there is none (`new Pool()`, `mongoose.connect(url)`). Undefined when the
 * options are not a literal here (a variable, a spread), or the client takes a connection string only.
 */
export function addQueryBoundEdit(model: WorkspaceModel, client: DbClient, ms: number): TextEdit | undefined {
  const option = queryBoundOption(client);
  if (!option || client.optionsUnknown) return undefined;
  const file = client.span.file;
  const property = `${option}: ${formatMs(ms)}`;
  if (client.optionsSpan) {
    const object = objectAt(model, file, client.optionsSpan.start, client.optionsSpan.end);
    return object ? addPropertyEdit(model, file, object, property) : undefined;
  }
  const shape = callShape(model, client.span);
  if (!shape) return undefined;
  if (client.library === 'pg') return shape.args.length === 0 ? { file, start: shape.closeParen, end: shape.closeParen, newText: `{ ${property} }` } : undefined;
  // MongoClient(url) and mongoose.connect(url): the options are the second argument.
  return shape.args.length === 1 ? appendArgumentEdit(file, shape, `{ ${property} }`) : undefined;
}

/** The unsafe fix that bounds the client's queries by the gateway's budget. */
export function queryBoundFixes(model: WorkspaceModel, client: DbClient, ms: number): Fix[] {
  const edit = addQueryBoundEdit(model, client, ms);
  if (!edit) return [];
  return [{ title: `Bound ${client.variable ?? client.constructorName}'s queries: ${queryBoundOption(client)} ${valueText(ms)} (unsafe: slow queries start to fail)`, safety: 'unsafe', edits: [edit] }];
}
