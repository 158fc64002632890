// Terraform modules (one folder each): resources, variables with their defaults and locals, and what a value in them evaluates to.
import type { FileId, Span } from '../../types.js';
import type { HclAttribute, HclBlock, HclExpr, HclFile } from './hcl.js';

export interface TfResource {
  type: string;
  name: string;
  file: FileId;
  block: HclBlock;
}

export interface TfModule {
  folder: string;
  files: HclFile[];
  resources: TfResource[];
  variables: Map<string, { block: HclBlock; default?: HclAttribute }>;
  locals: Map<string, HclAttribute>;
}

export interface TerraformModel {
  modules: TfModule[];
}

/** A value an expression evaluates to, and where it is written (a variable's default, a local). */
export interface TfValue {
  value: number | string | boolean;
  span: Span;
  /** `variable "idle" default`, when the value comes from elsewhere than the expression itself. */
  via?: string;
}

export function folderOf(file: FileId): string {
  const at = file.lastIndexOf('/');
  return at < 0 ? '' : file.slice(0, at);
}

export function buildTerraformModel(files: readonly HclFile[]): TerraformModel {
  const byFolder = new Map<string, HclFile[]>();
  for (const file of files) byFolder.set(folderOf(file.file), [...(byFolder.get(folderOf(file.file)) ?? []), file]);
  const modules = [...byFolder].map(([folder, list]): TfModule => {
    const module: TfModule = { folder, files: list, resources: [], variables: new Map(), locals: new Map() };
    for (const file of list) {
      for (const block of file.body.blocks) {
        if (block.type === 'resource' && block.labels.length === 2) module.resources.push({ type: block.labels[0]!.text, name: block.labels[1]!.text, file: file.file, block });
        else if (block.type === 'variable' && block.labels.length === 1) {
          const fallback = block.body.attributes.find((a) => a.name === 'default');
          module.variables.set(block.labels[0]!.text, { block, ...(fallback ? { default: fallback } : {}) });
        } else if (block.type === 'locals') for (const attribute of block.body.attributes) module.locals.set(attribute.name, attribute);
      }
    }
    return module;
  });
  return { modules };
}

/**
 * What an expression evaluates to: a literal, or a variable's default or a local of the same module
 * that is one. A variable without a default, or any other expression, is unknown (a `-var` or a
 * `.tfvars` file may set it: never a guess).
 */
export function evaluate(module: TfModule, expr: HclExpr | undefined, depth = 0): TfValue | undefined {
  if (!expr || depth > 8) return undefined;
  if (expr.kind === 'number' || expr.kind === 'string' || expr.kind === 'bool') return { value: expr.value, span: expr.span };
  if (expr.kind !== 'ref' || expr.path.length !== 2) return undefined;
  const [root, name] = expr.path as [string, string];
  if (root === 'var') {
    const variable = module.variables.get(name);
    const value = evaluate(module, variable?.default?.value, depth + 1);
    return value ? { ...value, via: value.via ?? `variable "${name}" default` } : undefined;
  }
  if (root === 'local') {
    const value = evaluate(module, module.locals.get(name)?.value, depth + 1);
    return value ? { ...value, via: value.via ?? `local.${name}` } : undefined;
  }
  return undefined;
}

/** A whole number of seconds (Terraform converts a numeric string). */
export function secondsOf(value: TfValue | undefined): number | undefined {
  if (!value) return undefined;
  const n = typeof value.value === 'number' ? value.value : typeof value.value === 'string' && /^\d+$/.test(value.value.trim()) ? Number(value.value) : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function attribute(block: HclBlock, name: string): HclAttribute | undefined {
  return block.body.attributes.find((a) => a.name === name);
}

/** The resource a reference names (`aws_lb_target_group.api.arn` → the `aws_lb_target_group` `api`). */
export function referenced(module: TfModule, expr: HclExpr | undefined, types: readonly string[]): TfResource | undefined {
  if (!expr || expr.kind !== 'ref' || expr.path.length < 2) return undefined;
  const [type, name] = expr.path as [string, string];
  if (!types.includes(type)) return undefined;
  return module.resources.find((r) => r.type === type && r.name === name);
}
