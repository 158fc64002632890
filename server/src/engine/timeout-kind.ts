// The kinds of timeout (timeout-facts.md §0): only timeouts of the same kind are compared.

export type TimeoutKind = 'connect' | 'idle' | 'time-to-headers' | 'total' | 'request-receive' | 'keepalive';
