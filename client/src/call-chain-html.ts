// Renders a route's call chain (from the server's timeoutLint/routeChain request) as a static HTML diagram for a webview.

/** Mirrors server/src/lsp/route-chain.ts (the client bundle does not import server code). */
export interface RouteChain {
  route: string;
  hops: Array<{ title: string; detail: string; timeouts: Array<{ name: string; value: string; source: string }>; location?: HopLocation }>;
}

export interface HopLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** The command a hop's link runs (allowed through the webview's enableCommandUris, so the page needs no script). */
export const OPEN_HOP_COMMAND = 'timeoutLint.openHop';

/**
 * The page has no script and loads nothing: the Content-Security-Policy allows only the one inline
 * style block (by nonce), so the view works offline and in untrusted workspaces. A hop's title is a
 * `command:` link that opens the file at the hop.
 */
export function callChainHtml(chains: RouteChain[], nonce: string): string {
  const body = chains.length === 0
    ? '<p>Put the cursor on a route (an nginx <code>location</code> that proxies somewhere, an Ingress path, an HTTPRoute or VirtualService route, a route handler), then run <b>timeout-lint: Show call chain</b>, or click a <code>chain:</code> code lens.</p>'
    : chains.map(renderChain).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Call chain</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1em; }
  .chain { display: flex; flex-direction: column; align-items: stretch; margin: 1em 0 2em; max-width: 60em; }
  .hop { border: 1px solid var(--vscode-panel-border, #888); border-radius: 6px; padding: .6em .8em; }
  .arrow { align-self: flex-start; margin-left: 1.2em; font-size: 1.3em; line-height: 1.4; opacity: .7; }
  .title { font-weight: bold; }
  .title a { color: var(--vscode-textLink-foreground); text-decoration: none; }
  .title a:hover { text-decoration: underline; }
  .detail { opacity: .8; font-size: .9em; margin-bottom: .4em; }
  table { border-collapse: collapse; font-size: .9em; }
  td { padding: .1em .8em 0 0; vertical-align: top; }
  td.value { font-family: var(--vscode-editor-font-family); }
  td.source { opacity: .75; padding: 0 0 .35em 1em; font-size: .95em; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

function renderChain(chain: RouteChain): string {
  const hops = chain.hops.map((hop) => {
    const rows = hop.timeouts
      // Where a value comes from goes on its own row: the view usually opens in a narrow column beside the editor.
      .map((t) => `<tr><td class="name">${escape(t.name)}</td><td class="value">${escape(t.value)}</td></tr><tr><td class="source" colspan="2">${escape(t.source)}</td></tr>`)
      .join('');
    const title = hop.location
      ? `<a href="${escape(`command:${OPEN_HOP_COMMAND}?${encodeURIComponent(JSON.stringify([hop.location]))}`)}" title="Open ${escape(hop.detail.split(' ')[0] ?? '')}">${escape(hop.title)}</a>`
      : escape(hop.title);
    return `<div class="hop"><div class="title">${title}</div><div class="detail">${escape(hop.detail)}</div>${rows ? `<table>${rows}</table>` : ''}</div>`;
  });
  // Top to bottom, outermost hop first: the view usually opens beside the editor, where a row would wrap.
  return `<h2>${escape(chain.route)}</h2>\n<div class="chain">${hops.join('<div class="arrow">↓</div>')}</div>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
