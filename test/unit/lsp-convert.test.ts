// Findings as LSP diagnostics: the headline is the message, the explanation and the chain are related information.
import { describe, expect, it } from 'vitest';
import { toDiagnostic, type ConvertContext } from '../../server/src/lsp/convert.js';
import type { Finding } from '../../server/src/engine/types.js';

const TEXT = 'proxy_read_timeout 30s;\nproxy_pass http://api;\n';
const finding: Finding = {
  ruleId: 'outer-timeout-below-inner',
  severity: 'warning',
  messageId: 'outerGivesUpFirst',
  message: 'nginx location /api/ gives up after 30 s; the service may take 60 s. The request fails at the gateway (504).',
  data: {},
  span: { file: 'nginx.conf', start: 19, end: 22 },
  related: [{ span: { file: 'nginx.conf', start: 24, end: 34 }, message: 'hop 2 of 2: service api' }],
  fixes: [],
  docsUrl: 'https://example.invalid/rules/outer-timeout-below-inner.md',
};

function context(relatedInformation: boolean): ConvertContext {
  return { relatedInformation, uriOf: (file) => `file:///w/${file}`, textOf: () => TEXT, versionOf: () => null };
}

describe('toDiagnostic', () => {
  it('shows the headline as the message and puts the explanation first in related information, at the finding', () => {
    const diagnostic = toDiagnostic(finding, context(true));
    expect(diagnostic.message).toBe('nginx location /api/ gives up after 30 s; the service may take 60 s.');
    expect(diagnostic.relatedInformation?.map((r) => [r.location.range.start, r.message])).toEqual([
      [{ line: 0, character: 19 }, 'The request fails at the gateway (504).'],
      [{ line: 1, character: 0 }, 'hop 2 of 2: service api'],
    ]);
  });

  it('keeps the whole message, with the related lines appended, for a client without related information', () => {
    const diagnostic = toDiagnostic(finding, context(false));
    expect(diagnostic.message).toBe(`${finding.message}\n  related: nginx.conf:2 hop 2 of 2: service api`);
    expect(diagnostic.relatedInformation).toBeUndefined();
  });

  it('adds no related entry for a one-sentence message', () => {
    const diagnostic = toDiagnostic({ ...finding, message: 'fetch has no timeout', related: [] }, context(true));
    expect(diagnostic.message).toBe('fetch has no timeout');
    expect(diagnostic.relatedInformation).toBeUndefined();
  });
});
