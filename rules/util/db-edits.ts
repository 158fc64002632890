// Edits that add a query bound to a database client where it is created: pg `statement_timeout`, postgres.js `connection.statement_timeout`, MongoDB `timeoutMS`, keeping the file's style.
import { type Fix, type TextEdit, type WorkspaceModel } from '../../server/src/engine/rule-api.js';
import { type DbClient } from '../../server/src/engine/inputs/ts/api.js';
import { addPropertyEdit, appendArgumentEdit, callShape, formatMs, objectAt } from './ts-edits.js';
import { valueText } from './chain-hops.js';

/** The option that bounds a query of this client, when the client takes it in its options object. */
export function queryBoundOption(client: DbClient): string | undefined {
  if (client.library === 'pg') return 'statement_timeout';
  // postgres.js sends its `connection` object as startup parameters (README "Connection details"), so the server applies them.
  if (client.library === 'postgres') return 'connection.statement_timeout';
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
  const nested = option.split('.');
  // `statement_timeout: 30_000`, or `connection: { statement_timeout: 30_000 }` for an option under a parent object.
  const property = nested.reduceRight((inner, key, index) => (index === nested.length - 1 ? `${key}: ${formatMs(ms)}` : `${key}: { ${inner} }`), '');
  if (client.optionsSpan) {
    const object = objectAt(model, file, client.optionsSpan.start, client.optionsSpan.end);
    if (!object) return undefined;
    // The parent written as an object literal already (`connection: { application_name: 'api' }`): add the leaf inside it.
    const parent = nested.length === 2 ? object.properties?.find((p) => p.key === nested[0]) : undefined;
    if (parent) {
      if (parent.value?.type !== 'ObjectExpression') return undefined;
      const inner = objectAt(model, file, parent.value.start, parent.value.end);
      return inner ? addPropertyEdit(model, file, inner, `${nested[1]}: ${formatMs(ms)}`) : undefined;
    }
    return addPropertyEdit(model, file, object, property);
  }
  const shape = callShape(model, client.span);
  if (!shape) return undefined;
  if (client.library === 'pg') return shape.args.length === 0 ? { file, start: shape.closeParen, end: shape.closeParen, newText: `{ ${property} }` } : undefined;
  // postgres.js takes `postgres(options)` or `postgres(url, options)`.
  if (client.library === 'postgres') return shape.args.length === 0 ? { file, start: shape.closeParen, end: shape.closeParen, newText: `{ ${property} }` } : shape.args.length === 1 ? appendArgumentEdit(file, shape, `{ ${property} }`) : undefined;
  // MongoClient(url) and mongoose.connect(url): the options are the second argument.
  return shape.args.length === 1 ? appendArgumentEdit(file, shape, `{ ${property} }`) : undefined;
}

/** The unsafe fix that bounds the client's queries by the gateway's budget. */
export function queryBoundFixes(model: WorkspaceModel, client: DbClient, ms: number): Fix[] {
  const edit = addQueryBoundEdit(model, client, ms);
  if (!edit) return [];
  return [{ title: `Bound ${client.variable ?? client.constructorName}'s queries: ${queryBoundOption(client)} ${valueText(ms)} (unsafe: slow queries start to fail)`, safety: 'unsafe', edits: [edit] }];
}
