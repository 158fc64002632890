// Hover over the values of hops outside nginx, Kubernetes and code, over real stdio: a HAProxy timeout, a Terraform load balancer's idle timeout and a LiteLLM model's timeout and retries each show their value, meaning, source and place in the chain.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, copyWorkspace, LspTestClient } from './lsp-harness.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

/** The hover text on `value` in the first line of `file` that holds `line` (Markdown escapes removed). */
async function hoverOn(client: LspTestClient, file: string, line: string, value: string): Promise<string> {
  const lines = client.openText(file).split('\n');
  const at = lines.findIndex((l) => l.includes(line));
  if (at < 0) throw new Error(`${line} is not in ${file}`);
  const character = lines[at]!.indexOf(value, lines[at]!.indexOf(line)) + 1;
  const answer = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(file) }, position: { line: at, character } })) as { contents: { value: string } } | null;
  return (answer?.contents.value ?? '').replace(/\\(.)/g, '$1');
}

describe.skipIf(!built)('hover on the values of gateway and load balancer hops', () => {
  let client: LspTestClient | undefined;

  afterEach(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
    client = undefined;
  });

  /** Opens the workspace and hovers until the folder's chain unit has been linted (a first hover may come before it). */
  async function hover(workspace: string, file: string, line: string, value: string): Promise<string> {
    client = new LspTestClient(copyWorkspace(path.join(FIXTURES, workspace)));
    await client.initialize();
    await client.open(file);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const text = await hoverOn(client, file, line, value);
      if (text.includes('Effective value') || Date.now() > deadline) return text;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('explains a HAProxy timeout server: value, meaning, where it is inherited from, and its hop in the chain', async () => {
    const text = await hover('backend-keepalive-below-proxy-idle/haproxy-compose-node', 'haproxy/haproxy.cfg', 'timeout server 30s', '30s');
    expect(text).toContain('**timeout server** of HAProxy backend api (frontend web)');
    expect(text).toContain('Effective value: `30s');
    expect(text).toContain('Meaning: idle timeout, bounds each silence of the next hop');
    expect(text).toContain('timeout-facts §20');
    expect(text).toContain('- hop 1 of 4: HAProxy backend api (frontend web) 30 s → api → GET /orders');
  });

  it('explains a Terraform ALB idle_timeout with its meaning and its hop in the chain', async () => {
    const text = await hover('backend-keepalive-below-proxy-idle/quiet-terraform-alb-target-group', 'infra/alb.tf', 'idle_timeout', '60');
    expect(text).toContain('**aws_alb.idle_timeout** of ALB aws_alb.web');
    expect(text).toContain('Effective value: `60');
    expect(text).toContain('Meaning: idle timeout');
    expect(text).toContain('(timeout-facts §19)');
    expect(text).toContain('- hop 1 of 3: ALB aws_alb.web 60 s → POST /api/orders');
  });

  it('explains a LiteLLM model timeout and its retries: value, source, meaning, and the hop after the caller', async () => {
    const workspace = 'llm-gateway-retries-outlive-caller/router-timeout-with-fallbacks';
    const timeout = await hover(workspace, 'litellm/config.yaml', 'timeout: 30', '30');
    expect(timeout).toContain('**litellm_params.timeout** of LiteLLM model gpt-4o-mini (openai/gpt-4o-mini)');
    expect(timeout).toContain('Effective value: `30 = 30 s');
    expect(timeout).toContain('Meaning: total timeout, bounds the whole request, however much the next hop sends, for each attempt (timeout-facts §20)');
    // The client asks for gpt-4o: gpt-4o-mini is its fallback (inside gpt-4o's budget) and a chain of its own.
    expect(timeout).toContain('- hop 1 of 2: LiteLLM model gpt-4o-mini (openai/gpt-4o-mini) 30 s → LLM provider OpenAI');
    const routerTimeout = await hoverOn(client!, 'litellm/config.yaml', 'timeout: 60', '60');
    expect(routerTimeout).toContain('- hop 2 of 3: client openai 2 min → LiteLLM model gpt-4o (openai/gpt-4o)');
    const retries = await hoverOn(client!, 'litellm/config.yaml', 'num_retries: 2', '2');
    expect(retries).toContain('**router_settings.num_retries** of LiteLLM model gpt-4o');
    expect(retries).toContain('Effective value: `3 attempts`');
    expect(retries).toContain('a timed-out attempt is tried again');
  });
});
