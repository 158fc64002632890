// The rule registry: every rule, in id order (a meta-test checks files, docs and this list agree).
import type { Rule } from '../server/src/engine/rule.js';
import connectTimeoutAbove75s from './connect-timeout-above-75s.js';
import duplicateTimeoutDirective from './duplicate-timeout-directive.js';
import invalidTimeoutValue from './invalid-timeout-value.js';
import llmRouteDefaultReadTimeout from './llm-route-default-read-timeout.js';
import streamingRouteBuffered from './streaming-route-buffered.js';
import timeoutInIf from './timeout-in-if.js';

export const allRules: readonly Rule[] = [
  connectTimeoutAbove75s,
  duplicateTimeoutDirective,
  invalidTimeoutValue,
  llmRouteDefaultReadTimeout,
  streamingRouteBuffered,
  timeoutInIf,
] as Rule[];
