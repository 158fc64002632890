// Which files are LiteLLM proxy configurations: a known name first, then a cheap look at the text for `model_list` entries with `litellm_params`.

/** File names LiteLLM's docs and deployments use for the proxy's `--config` file. */
const NAMES = /(^|\/)(config|litellm[-_.\w]*|proxy[-_]config|[-\w]*litellm[-\w]*)\.ya?ml$/i;

/** True when the path is one a LiteLLM proxy config is usually given (the text still decides). */
export function isLitellmConfigName(file: string): boolean {
  return NAMES.test(file);
}

/** A top-level `model_list:` and a `litellm_params:` key: the shape of a proxy config, checked without parsing. */
export function looksLikeLitellmConfig(text: string): boolean {
  return /^model_list\s*:/m.test(text) && /^\s+litellm_params\s*:/m.test(text);
}
