// Upstream model calls can run long on big prompts; give them three minutes before aborting.
const UPSTREAM_TIMEOUT_MS = 180_000;

export function fetchWithTimeout(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return fetch(input, { ...init, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
}
