// The call-chain webview page: strict CSP, no script, escaped text, hops top to bottom.
import { describe, expect, it } from 'vitest';
import { callChainHtml, OPEN_HOP_COMMAND } from '../../client/src/call-chain-html.js';

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

  it('links a hop with a location to the command that opens it, and no other link', () => {
    const location = { uri: 'file:///w/k8s/chat.yaml', range: { start: { line: 3, character: 2 }, end: { line: 3, character: 9 } } };
    const html = callChainHtml([{ ...chain, hops: [chain.hops[0]!, { ...chain.hops[1]!, location }] }], 'n');
    const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
    expect(links).toHaveLength(1);
    const [command, args] = links[0]!.split('?');
    expect(command).toBe(`command:${OPEN_HOP_COMMAND}`);
    expect(JSON.parse(decodeURIComponent(args!))).toEqual([location]);
    expect(html).not.toMatch(/<script/i);
  });

  it('tells how to open a chain when there is none at the cursor', () => {
    expect(callChainHtml([], 'n')).toContain('Put the cursor on a route');
  });
});
