// The headline of a finding message: the first sentence, as the meta test, the CLI and the editor cut it.
import { describe, expect, it } from 'vitest';
import { detailsOf, engineMessage, headlineOf, MAX_HEADLINE_CHARS } from '../../server/src/engine/headline.js';

describe('headlineOf', () => {
  it.each([
    ['ends at the first period followed by a space', 'nginx gives up after 60 s; the call may take 12 min. The request fails with 504.', 'nginx gives up after 60 s; the call may take 12 min.'],
    ['is the whole message when there is one sentence', 'fetch has no timeout', 'fetch has no timeout'],
    ['keeps a period inside a number, a path or a section', 'proxy_read_timeout "1.5m" in nginx.conf (timeout-facts §1.3) is rejected. Write 90s.', 'proxy_read_timeout "1.5m" in nginx.conf (timeout-facts §1.3) is rejected.'],
    ['keeps a period inside a code span', 'write `a. b` instead of it. Then reload.', 'write `a. b` instead of it.'],
    ['keeps abbreviations', 'a fallback, e.g. the default, applies. Details.', 'a fallback, e.g. the default, applies.'],
    ['ends at a question mark', 'x is ignored. Did you mean y? More.', 'x is ignored.'],
    ['ends at a period at the end of a line', 'first line.\nsecond line.', 'first line.'],
  ])('%s', (_name, message, headline) => {
    expect(headlineOf(message)).toBe(headline);
    expect(`${headline} ${detailsOf(message)}`.trim().replace(/\s+/g, ' ')).toBe(message.replace(/\s+/g, ' '));
  });

  it('leaves no details for a one-sentence message', () => {
    expect(detailsOf('Only this.')).toBe('');
  });

  it('does not take the end of a longer word for an abbreviation', () => {
    expect(headlineOf('It runs in devs. Then more.')).toBe('It runs in devs.');
  });
});

describe('engineMessage', () => {
  it('keeps a diagnostic whose first sentence fits', () => {
    expect(engineMessage('parse-error', 'unexpected "}"')).toBe('unexpected "}"');
  });

  it('ends the first sentence of a long one at its last clause break that fits, keeping every word', () => {
    const helm = 'not analysed: Helm template templates/ingress.yaml does not render with values.yaml: error calling include: template: no template "x" associated';
    // Its only break within reach is after "not analysed".
    expect(engineMessage('not-analysed', helm)).toBe('not analysed. Helm template templates/ingress.yaml does not render with values.yaml: error calling include: template: no template "x" associated');
    const toml = 'not analysed: the file is not valid TOML (Invalid TOML document: control characters are not allowed in strings)';
    expect(engineMessage('not-analysed', toml)).toBe('not analysed: the file is not valid TOML. Invalid TOML document: control characters are not allowed in strings');
    for (const message of [helm, toml]) expect(headlineOf(engineMessage('not-analysed', message)).length).toBeLessThanOrEqual(MAX_HEADLINE_CHARS);
  });

  it('does not break inside a quoted token, and puts a short sentence before text with no break', () => {
    const quoted = `include "${'a'.repeat(90)}: b" is not read`;
    expect(engineMessage('include-error', quoted)).toBe(`Include not read. ${quoted}`);
  });
});
