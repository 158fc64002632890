// Elastic Beanstalk `.ebextensions/*.config` files (YAML or JSON): the load balancer option settings that bound a request, with exact spans.
import { firstDataDocument, parseYamlFile } from '../../yaml/file.js';
import type { ScalarFact } from '../../yaml/view.js';
import type { FileId, Problem, Span } from '../../types.js';

/** The options this input reads, by namespace (facts §19). */
export const EB_OPTIONS = {
  'aws:elbv2:loadbalancer': ['IdleTimeout'],
  'aws:elb:policies': ['ConnectionSettingIdleTimeout'],
  'aws:elasticbeanstalk:environment': ['LoadBalancerType'],
} as const satisfies Record<string, readonly string[]>;

export interface EbOptionSetting {
  namespace: string;
  option: string;
  value: ScalarFact;
  /** The option's name as written (a key, or an `option_name:` value). */
  nameSpan: Span;
}

export interface EbConfigFile {
  file: FileId;
  /** The folder Elastic Beanstalk deploys: the one holding `.ebextensions` ('' for the workspace root). */
  appFolder: string;
  settings: EbOptionSetting[];
  problems: Problem[];
}

const EBEXTENSIONS = /(?:^|\/)\.ebextensions\/[^/]+\.config$/;

export function isEbextensionsConfig(file: FileId): boolean {
  return EBEXTENSIONS.test(file);
}

export function appFolderOf(file: FileId): string {
  const at = file.lastIndexOf('.ebextensions/');
  return file.slice(0, Math.max(0, at - 1));
}

/**
 * Reads `option_settings` in both of its forms: a map of namespace → option → value, and a list of
 * `{ namespace, option_name, value }` items (where `namespace` may be left out only for the
 * application's own environment variables, which this input does not read).
 */
export function parseEbConfig(file: FileId, text: string): EbConfigFile {
  const yaml = parseYamlFile(file, text);
  const out: EbConfigFile = { file, appFolder: appFolderOf(file), settings: [], problems: [...yaml.problems] };
  const document = firstDataDocument(yaml);
  if (!document) return out;
  const view = document.view;
  const root = document.document.contents;
  const settings = view.get(root, 'option_settings');
  const wanted = (namespace: string, option: string) => (EB_OPTIONS as Record<string, readonly string[]>)[namespace]?.includes(option) ?? false;
  if (view.asMap(settings)) {
    for (const ns of view.fields(settings)) {
      for (const opt of view.fields(ns.value)) {
        const value = view.scalar(opt.value);
        if (value && wanted(ns.key.text, opt.key.text)) out.settings.push({ namespace: ns.key.text, option: opt.key.text, value, nameSpan: opt.key.span });
      }
    }
  }
  for (const item of view.items(settings)) {
    const namespace = view.scalar(view.get(item, 'namespace'));
    const name = view.scalar(view.get(item, 'option_name'));
    const value = view.scalar(view.get(item, 'value'));
    if (namespace && name && value && wanted(namespace.text, name.text)) out.settings.push({ namespace: namespace.text, option: name.text, value, nameSpan: name.span });
  }
  return out;
}
