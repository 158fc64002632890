// NestJS provider tokens as written: `@Inject(UseCaseType.CHAT)` on a constructor parameter, `provide:` in a module's providers (injections.ts).
import { unwrap, type AstNode } from './ast.js';

/** `@Inject(UseCaseType.CHAT)` on a constructor parameter: the token as written (`UseCaseType.CHAT`, `'CHAT_USE_CASE'`). */
export function injectToken(declaration: AstNode | undefined): string | undefined {
  for (const decorator of (declaration?.decorators ?? []) as AstNode[]) {
    const expression = unwrap(decorator.expression);
    if (expression?.type !== 'CallExpression' || unwrap(expression.callee)?.type !== 'Identifier' || unwrap(expression.callee)!.name !== 'Inject') continue;
    return tokenText(expression.arguments[0]);
  }
  return undefined;
}

/** A provider token as text: a string, a member path (`UseCaseType.CHAT`) or a name (a class or a Symbol constant). */
export function tokenText(node: AstNode | undefined): string | undefined {
  const token = unwrap(node);
  if (!token) return undefined;
  if (token.type === 'StringLiteral') return `'${token.value}'`;
  const parts: string[] = [];
  let current: AstNode | undefined = token;
  while (current?.type === 'MemberExpression' && !current.computed && current.property.type === 'Identifier') {
    parts.unshift(current.property.name);
    current = unwrap(current.object);
  }
  if (current?.type !== 'Identifier') return undefined;
  parts.unshift(current.name);
  return parts.join('.');
}
