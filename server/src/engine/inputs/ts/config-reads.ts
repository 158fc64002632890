// Configuration reads that are environment reads in disguise: NestJS `ConfigService.get('PORT', 3000)` and envalid `cleanEnv(process.env, { PORT: num({ default: 3000 }) })`.
import { keyName, memberPath, spanOf, unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { FileId } from '../../types.js';
import type { Scope } from './scope.js';
import type { TsProperty, TsValue } from './types.js';

type Evaluate = (node: AstNode | undefined, scope: Scope) => TsValue;

// An environment variable's name: `ConfigService.get('database.host')` names custom configuration instead (a `load` factory), which is not read here.
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const ENVALID_VALIDATORS = new Map([['num', true], ['port', true], ['str', false], ['host', false], ['url', false], ['bool', false], ['email', false]]);
const CONFIG_SERVICE_METHODS = new Set(['get', 'getOrThrow']);

/**
 * `configService.get('PORT')`, `configService.get<number>('PORT', 3000)`, `getOrThrow('PORT')` on a NestJS
 * `ConfigService` (imported from `@nestjs/config`): the env var, with the second argument as its default.
 * ConfigService reads process.env and custom configuration and returns the default when neither has the key;
 * only keys spelled like environment variables are read (a custom factory uses its own nested keys).
 * Undefined when `node` is not such a call.
 */
export function readConfigServiceGet(file: FileId, text: string, node: AstNode, scope: Scope, evaluate: Evaluate): TsValue | undefined {
  const callee = unwrap(node.callee);
  if (callee?.type !== 'MemberExpression' || !CONFIG_SERVICE_METHODS.has(keyName(callee.property, callee.computed) ?? '')) return undefined;
  const key = unwrap(node.arguments[0]);
  if (key?.type !== 'StringLiteral' || !ENV_NAME.test(key.value)) return undefined;
  if (!isConfigService(text, unwrap(callee.object), scope)) return undefined;
  const span = spanOf(file, node);
  const second = node.arguments[1] as AstNode | undefined;
  const value: TsValue = { kind: 'env', name: key.value, numeric: false, span };
  // The second argument is a default unless it is the options object (`{ infer: true }`).
  if (second && unwrap(second)?.type !== 'ObjectExpression' && keyName(callee.property, callee.computed) === 'get') value.default = evaluate(second, scope);
  return value;
}

/** True when `receiver` holds a `ConfigService` of `@nestjs/config`: `app.get(ConfigService)`, a parameter or `this.x` typed `ConfigService`. */
function isConfigService(text: string, receiver: AstNode | undefined, scope: Scope): boolean {
  const imported = scope.lookup('ConfigService');
  if (imported?.kind !== 'import' || imported.import!.module !== '@nestjs/config' || imported.import!.name !== 'ConfigService') return false;
  if (receiver?.type === 'Identifier') {
    const binding = scope.lookup(receiver.name);
    if (!binding) return false;
    const init = unwrapAwait(binding.init);
    if (init && (init.type === 'CallExpression' || init.type === 'NewExpression')) {
      const argument = unwrap(init.arguments[0]);
      if (init.type === 'NewExpression') return unwrap(init.callee)?.type === 'Identifier' && unwrap(init.callee)!.name === 'ConfigService';
      return argument?.type === 'Identifier' && argument.name === 'ConfigService';
    }
    return typeNameOf(binding.id) === 'ConfigService';
  }
  // `this.configService`: a constructor parameter property or field declared with the type `ConfigService` in this file.
  const path = receiver ? memberPath(receiver) : undefined;
  if (path?.length === 2 && path[0] === 'this') return new RegExp(`\\b${path[1]!.replace(/\$/g, '\\$')}\\s*[?!]?:\\s*ConfigService\\b`).test(text);
  return false;
}

function typeNameOf(id: AstNode): string | undefined {
  const annotation = id.typeAnnotation?.typeAnnotation as AstNode | undefined;
  return annotation?.type === 'TSTypeReference' && annotation.typeName?.type === 'Identifier' ? annotation.typeName.name : undefined;
}

/**
 * envalid's `cleanEnv(process.env, { PORT: num({ default: 3000 }), HOST: str() })`: an object whose
 * properties are the env vars, numeric for `num`/`port`, with their `default`. A `devDefault` applies
 * outside production only, so such a default is left unknown. Undefined when `node` is not such a call.
 */
export function readEnvalidCleanEnv(file: FileId, node: AstNode, scope: Scope, evaluate: Evaluate): TsValue | undefined {
  const callee = unwrap(node.callee);
  const binding = callee?.type === 'Identifier' ? scope.lookup(callee.name) : undefined;
  if (binding?.kind !== 'import' || binding.import!.module !== 'envalid' || binding.import!.name !== 'cleanEnv') return undefined;
  const source = memberPath(unwrap(node.arguments[0]))?.join('.');
  const specs = unwrap(node.arguments[1]);
  if (source !== 'process.env' || specs?.type !== 'ObjectExpression') return undefined;
  const properties: TsProperty[] = [];
  let openSpread = false;
  for (const property of specs.properties as AstNode[]) {
    const name = property.type === 'ObjectProperty' ? keyName(property.key, property.computed) : undefined;
    if (name === undefined) {
      openSpread = true;
      continue;
    }
    properties.push({ name, value: envalidSpec(file, name, unwrap(property.value), scope, evaluate), span: spanOf(file, property) });
  }
  return { kind: 'object', properties, openSpread, span: spanOf(file, node) };
}

function envalidSpec(file: FileId, name: string, spec: AstNode | undefined, scope: Scope, evaluate: Evaluate): TsValue {
  const span = spanOf(file, spec ?? { type: 'Unknown' });
  const callee = spec?.type === 'CallExpression' ? unwrap(spec.callee) : undefined;
  const binding = callee?.type === 'Identifier' ? scope.lookup(callee.name) : undefined;
  const numeric = binding?.kind === 'import' && binding.import!.module === 'envalid' ? ENVALID_VALIDATORS.get(binding.import!.name) : undefined;
  if (numeric === undefined) return { kind: 'unknown', span, reason: 'envalid-validator' };
  const value: TsValue = { kind: 'env', name, numeric, span };
  const options = unwrap(spec!.arguments[0]);
  if (options?.type !== 'ObjectExpression') return value;
  const keys = (options.properties as AstNode[]).map((p) => (p.type === 'ObjectProperty' ? keyName(p.key, p.computed) : undefined));
  const written = (options.properties as AstNode[]).find((p, i) => keys[i] === 'default');
  if (keys.includes('devDefault') || keys.includes(undefined)) value.default = { kind: 'unknown', span, reason: 'envalid-dev-default' };
  else if (written) value.default = evaluate(written.value, scope);
  return value;
}
