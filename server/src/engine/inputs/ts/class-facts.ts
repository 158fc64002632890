// Classes with their heritage (the interfaces they implement, their base class) and public methods, for calls on interface-typed injected members (injections.ts).
import { keyName, memberPath, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import { exportedNames } from './routes.js';
import type { TsClassFact, TsImportRef } from './types.js';

/** Classes that implement interfaces or extend a base: their names, exports, heritage and public methods. */
export function readClassFacts(ctx: FactsContext): void {
  const classes: TsClassFact[] = [];
  // `this.hook()` calls of each method, for a base class whose method runs what a subclass declares.
  const thisCalls = new Map<AstNode, Map<string, Set<string>>>();
  const methodNames = new Map<number, string>();
  for (const [classNode, methods] of ctx.walk.classMethods) for (const [name, id] of methods) if (classNode.type === 'ClassDeclaration') methodNames.set(id, name);
  for (const call of ctx.walk.calls) {
    if (!call.classNode || call.functionId === undefined) continue;
    const path = memberPath(call.node.callee);
    const caller = methodNames.get(call.functionId);
    if (!caller || path?.length !== 2 || path[0] !== 'this') continue;
    let byMethod = thisCalls.get(call.classNode);
    if (!byMethod) thisCalls.set(call.classNode, (byMethod = new Map()));
    let names = byMethod.get(caller);
    if (!names) byMethod.set(caller, (names = new Set()));
    names.add(path[1]!);
  }
  for (const [classNode, methods] of ctx.walk.classMethods) {
    if (classNode.type !== 'ClassDeclaration' || !classNode.id) continue;
    const implementsList = ((classNode.implements ?? []) as AstNode[]).flatMap((item) => heritageName(item.expression ?? item.id) ?? []);
    const base = classNode.superClass ? heritageName(classNode.superClass) : undefined;
    // A concrete class with neither heritage nor hooks (calls of methods it does not declare itself) is nobody's base worth following.
    const hooks = new Map<string, string[]>();
    for (const [caller, names] of thisCalls.get(classNode) ?? []) {
      const undeclared = [...names].filter((n) => !methods.has(n));
      if (undeclared.length > 0) hooks.set(caller, undeclared);
    }
    if (implementsList.length === 0 && !base && hooks.size === 0 && !classNode.abstract) continue;
    const publicMethods: string[] = [];
    for (const member of (classNode.body?.body ?? []) as AstNode[]) {
      if (member.type !== 'ClassMethod' || member.kind !== 'method' || member.static || member.accessibility === 'private' || member.accessibility === 'protected') continue;
      const name = keyName(member.key, member.computed);
      if (name !== undefined && methods.has(name)) publicMethods.push(name);
    }
    const fact: TsClassFact = {
      name: classNode.id.name,
      exports: exportedNames(ctx.tsFile.program, classNode.id.name),
      implements: implementsList.map((name) => heritageRef(ctx, name)),
      methods: [...methods.keys()],
      publicMethods,
      span: ctx.span(classNode.id),
    };
    if (hooks.size > 0) fact.hooks = Object.fromEntries(hooks);
    if (base) {
      fact.extends = heritageRef(ctx, base);
      fact.extendsName = base;
    }
    classes.push(fact);
  }
  if (classes.length > 0) ctx.facts.classes = classes;
}

function heritageName(node: AstNode | undefined): string | undefined {
  const id = unwrap(node);
  return id?.type === 'Identifier' ? id.name : undefined;
}

/** An interface or base class by the import that names it, or this file's own. */
function heritageRef(ctx: FactsContext, name: string): TsImportRef {
  const binding = ctx.walk.moduleScope.lookup(name);
  if (binding?.kind === 'import') return { module: binding.import!.module, name: binding.import!.name };
  return { module: '.', name };
}
