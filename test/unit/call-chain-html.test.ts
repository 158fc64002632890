// The call-chain webview page: strict CSP, no script, escaped text, hops top to bottom.
import { describe, expect, it } from 'vitest';
import { callChainHtml } from '../../client/src/call-chain-html.js';

describe('callChainHtml', () => {
  const chain = {
    route: 'nginx 60 s (default) → chat-api → <script>',
    hops: [
      { title: 'nginx location /api/', detail: 'nginx.conf:5', timeouts: [{ name: 'proxy_read_timeout', value: '60 s', source: 'nginx default, timeout-facts §1.3' }] },
      { title: 'Service default/chat-api', detail: 'k8s/chat.yaml:4', timeouts: [] },
    ],
  };

  it('allows nothing but its own nonce-tagged style: no script, no network', () => {
    const html = callChainHtml([chain], 'abc123');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-abc123';">`);
    expect(html).toContain('<style nonce="abc123">');
    expect(html).not.toMatch(/<script|src=|href=/i);
  });

  it('escapes text and draws the hops outermost first, joined by arrows', () => {
    const html = callChainHtml([chain], 'n');
    expect(html).toContain('<h2>nginx 60 s (default) → chat-api → &#60;script&#62;</h2>');
    expect(html.indexOf('nginx location /api/')).toBeLessThan(html.indexOf('Service default/chat-api'));
    expect(html.match(/class="arrow">↓</g)).toHaveLength(1);
    expect(html).toContain('<tr><td class="name">proxy_read_timeout</td><td class="value">60 s</td></tr><tr><td class="source" colspan="2">nginx default, timeout-facts §1.3</td></tr>');
  });

  it('tells how to open a chain when there is none at the cursor', () => {
    expect(callChainHtml([], 'n')).toContain('Put the cursor on a route');
  });
});
