// The CloudFormation input: templates (YAML or JSON) whose Elastic Load Balancing resources front code in the workspace.
import { rethrowStop } from '../../run-deadline.js';
import { defineInput } from '../input.js';
import { cloudFormationLinker, type CloudFormationModel } from './chain.js';
import { looksLikeCloudFormation, parseTemplate, type CfnTemplate } from './template.js';

export type { CloudFormationModel } from './chain.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** CloudFormation templates that declare load balancers. */
    cloudFormation: CloudFormationModel;
  }
}

/** JSON is claimed only under names templates use: every package.json and tsconfig would otherwise be read. */
const JSON_TEMPLATE_NAME = /(?:template|cfn|cloudformation|stack)[^/]*\.json$/i;

export const cloudFormationInput = defineInput({
  id: 'cloudFormation',
  language: 'cloudformation',
  claim: (file) => (/\.(?:ya?ml|template)$/i.test(file) || JSON_TEMPLATE_NAME.test(file) ? 'content' : undefined),
  accepts: (_file, text) => looksLikeCloudFormation(text),
  reader(context) {
    const read: CfnTemplate[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        try {
          read.push(context.cache ? context.cache.byText(file, decoded.text, () => parseTemplate(file, decoded.text)) : parseTemplate(file, decoded.text));
        } catch (error) {
          rethrowStop(error);
          context.notAnalysed(file, `the YAML parser failed: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        context.addSource(file, decoded);
      },
      build() {
        context.reportProblems(read.flatMap((t) => t.problems));
        return { templates: read };
      },
    };
  },
  empty: () => ({ templates: [] }),
  present: (model) => model.templates.length > 0,
  linker: cloudFormationLinker,
});
