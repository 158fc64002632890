// A LiteLLM config value as a fact: seconds or a count as written, an `os.environ/NAME` reference (unknown until the proxy starts), or something the linker cannot read.
import type { Span } from '../../types.js';
import type { YamlView } from '../../yaml/view.js';

export interface LitellmValue {
  /** The number when the config spells one. */
  value?: number;
  text: string;
  span: Span;
  /** `os.environ/NAME`: LiteLLM reads the variable when it loads the config. */
  env?: string;
}

const ENV_REFERENCE = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

/** The scalar at `key` of `map` as a number or an environment reference; undefined when the key is absent. */
export function numberAt(view: YamlView, map: unknown, key: string): LitellmValue | undefined {
  const fact = view.scalar(view.get(map, key));
  if (!fact) return undefined;
  const out: LitellmValue = { text: fact.text, span: fact.span };
  const env = ENV_REFERENCE.exec(fact.text.trim());
  if (env) out.env = env[1]!;
  else if (!fact.unresolved && /^\d+(\.\d+)?$/.test(fact.text.trim())) out.value = Number(fact.text.trim());
  return out;
}

/** The string at `key`, with its span. */
export function stringAt(view: YamlView, map: unknown, key: string): { text: string; span: Span } | undefined {
  const fact = view.scalar(view.get(map, key));
  return fact ? { text: fact.text, span: fact.span } : undefined;
}
