// The rule registry: every rule, in id order (a meta-test checks files, docs and this list agree).
import type { Rule } from '../server/src/engine/rule-api.js';
import annotationValueNotString from './annotation-value-not-string.js';
import backendKeepaliveBelowProxyIdle from './backend-keepalive-below-proxy-idle.js';
import clientHeaderTimeoutNotDefaultServer from './client-header-timeout-not-default-server.js';
import connectTimeoutAbove75s from './connect-timeout-above-75s.js';
import dbAcquireTimeoutAboveRequestBudget from './db-acquire-timeout-above-request-budget.js';
import dbClientWithoutQueryTimeout from './db-client-without-query-timeout.js';
import dbQueryOutlivesRequest from './db-query-outlives-request.js';
import dbTransactionTimeoutAboveRouteBudget from './db-transaction-timeout-above-route-budget.js';
import duplicateTimeoutDirective from './duplicate-timeout-directive.js';
import envoyRouteWithoutTimeout from './envoy-route-without-timeout.js';
import gatewayApiInvalidDuration from './gateway-api-invalid-duration.js';
import haproxyServerTimeoutAboveClient from './haproxy-server-timeout-above-client.js';
import haproxyTunnelTimeoutMissing from './haproxy-tunnel-timeout-missing.js';
import httpCallWithoutTimeout from './http-call-without-timeout.js';
import ignoredTimeoutOption from './ignored-timeout-option.js';
import ingressAnnotationWrongController from './ingress-annotation-wrong-controller.js';
import ingressNginxAnnotationUnit from './ingress-nginx-annotation-unit.js';
import ingressNginxUnknownAnnotation from './ingress-nginx-unknown-annotation.js';
import invalidTimeoutValue from './invalid-timeout-value.js';
import kongTimeoutMisconfigured from './kong-timeout-misconfigured.js';
import llmCallWithoutTimeout from './llm-call-without-timeout.js';
import llmGatewayRetriesOutliveCaller from './llm-gateway-retries-outlive-caller.js';
import llmIngressDefaultTimeout from './llm-ingress-default-timeout.js';
import llmRouteDefaultReadTimeout from './llm-route-default-read-timeout.js';
import llmRouteRequestTimeoutCutsStream from './llm-route-request-timeout-cuts-stream.js';
import nestedRetries from './nested-retries.js';
import nodeServerTimeoutsInconsistent from './node-server-timeouts-inconsistent.js';
import outerTimeoutBelowInner from './outer-timeout-below-inner.js';
import platformLimitBelowCodeBudget from './platform-limit-below-code-budget.js';
import probeTimeoutNotBelowPeriod from './probe-timeout-not-below-period.js';
import retriesExceedRouteTimeout from './retries-exceed-route-timeout.js';
import retriesWithoutPerTryTimeout from './retries-without-per-try-timeout.js';
import retryAmplification from './retry-amplification.js';
import sdkTimeoutAboveTransportLimit from './sdk-timeout-above-transport-limit.js';
import sseHeartbeatMissing from './sse-heartbeat-missing.js';
import streamingRouteBuffered from './streaming-route-buffered.js';
import terminationGraceBelowRequestTime from './termination-grace-below-request-time.js';
import timeoutDirectiveRejected from './timeout-directive-rejected.js';
import timeoutInIf from './timeout-in-if.js';
import unresolvedChainLink from './unresolved-chain-link.js';
import vercelFunctionsPatternUnmatched from './vercel-functions-pattern-unmatched.js';
import websocketIdleBelowPing from './websocket-idle-below-ping.js';
import zeroTimeoutNotDisabled from './zero-timeout-not-disabled.js';

export const allRules: readonly Rule[] = [
  annotationValueNotString,
  backendKeepaliveBelowProxyIdle,
  clientHeaderTimeoutNotDefaultServer,
  connectTimeoutAbove75s,
  dbAcquireTimeoutAboveRequestBudget,
  dbClientWithoutQueryTimeout,
  dbQueryOutlivesRequest,
  dbTransactionTimeoutAboveRouteBudget,
  duplicateTimeoutDirective,
  envoyRouteWithoutTimeout,
  gatewayApiInvalidDuration,
  haproxyServerTimeoutAboveClient,
  haproxyTunnelTimeoutMissing,
  httpCallWithoutTimeout,
  ignoredTimeoutOption,
  ingressAnnotationWrongController,
  ingressNginxAnnotationUnit,
  ingressNginxUnknownAnnotation,
  invalidTimeoutValue,
  kongTimeoutMisconfigured,
  llmCallWithoutTimeout,
  llmGatewayRetriesOutliveCaller,
  llmIngressDefaultTimeout,
  llmRouteDefaultReadTimeout,
  llmRouteRequestTimeoutCutsStream,
  nestedRetries,
  nodeServerTimeoutsInconsistent,
  outerTimeoutBelowInner,
  platformLimitBelowCodeBudget,
  probeTimeoutNotBelowPeriod,
  retriesExceedRouteTimeout,
  retriesWithoutPerTryTimeout,
  retryAmplification,
  sdkTimeoutAboveTransportLimit,
  sseHeartbeatMissing,
  streamingRouteBuffered,
  terminationGraceBelowRequestTime,
  timeoutDirectiveRejected,
  timeoutInIf,
  unresolvedChainLink,
  vercelFunctionsPatternUnmatched,
  websocketIdleBelowPing,
  zeroTimeoutNotDisabled,
] as Rule[];
