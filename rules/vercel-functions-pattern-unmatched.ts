// Reports vercel.json `functions` globs that match no file below the vercel.json: Vercel stops the
// deployment on such a pattern, or, when the file sits outside the project's root directory, never
// reads it; either way its maxDuration is not applied.
import { defineRule } from '../server/src/engine/rule-api.js';

export default defineRule({
  id: 'vercel-functions-pattern-unmatched',
  description: 'A `functions` pattern in vercel.json must match function files below it, or its maxDuration never applies.',
  defaultSeverity: 'warning',
  fixable: 'never',
  inputs: ['vercel'],
  options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} },
  messages: {
    unmatchedDuration:
      'maxDuration {seconds} s never applies: {subject} matches no file. `{pattern}` is relative to {where}, and no file there matches it. ' +
      'Vercel stops a deployment on a `functions` pattern that matches no function, and does not read a vercel.json outside the project\'s root directory; either way the function keeps the plan\'s default duration. {hint}',
    unmatched:
      '{subject} in vercel.json matches no file. `{pattern}` is relative to {where}, and no file there matches it. ' +
      'Vercel stops a deployment on a `functions` pattern that matches no function, and does not read a vercel.json outside the project\'s root directory; either way its settings are not applied. {hint}',
  },
  check(ctx) {
    for (const config of ctx.model.vercel.configs) {
      config.functions.forEach((entry, index) => {
        const match = config.matches[index];
        if (match?.kind !== 'unmatched') return;
        const where = config.dir === '' ? 'the workspace root' : `${config.dir}/`;
        // A long glob stays out of the headline, which must fit the Problems view; the details name it.
        const subject = entry.pattern.length <= 40 ? `\`${entry.pattern}\`` : 'its pattern';
        const hint = match.missingFolder !== undefined
          ? `There is no folder ${match.missingFolder}: a Next.js app with a src/ folder has its routes under src/app, and an app in a subfolder needs its own vercel.json there.`
          : 'An app in a subfolder needs its own vercel.json there.';
        const data = { pattern: entry.pattern, subject, where, hint };
        if (entry.maxDuration) ctx.report({ messageId: 'unmatchedDuration', data: { ...data, seconds: String(entry.maxDuration.seconds) }, span: entry.span });
        else ctx.report({ messageId: 'unmatched', data, span: entry.span });
      });
    }
  },
});
