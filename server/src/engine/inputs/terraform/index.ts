// The Terraform input: `*.tf` files whose load balancers (aws_lb/aws_alb, aws_elb, google_compute_(region_)backend_service, azurerm_application_gateway) front code in the workspace.
import { rethrowStop } from '../../run-deadline.js';
import { defineInput } from '../input.js';
import { terraformLinker } from './chain.js';
import { parseHcl, type HclFile } from './hcl.js';
import { buildTerraformModel, type TerraformModel } from './module.js';

export type { TerraformModel } from './module.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Terraform modules (one per folder of `.tf` files). */
    terraform: TerraformModel;
  }
}

export const terraformInput = defineInput({
  id: 'terraform',
  language: 'terraform',
  claim: (file) => (file.endsWith('.tf') ? 'name' : undefined),
  reader(context) {
    const read: HclFile[] = [];
    return {
      take(file, text) {
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        try {
          read.push(context.cache ? context.cache.byText(file, decoded.text, () => parseHcl(file, decoded.text)) : parseHcl(file, decoded.text));
        } catch (error) {
          rethrowStop(error);
          context.notAnalysed(file, `the HCL parser failed: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        context.addSource(file, decoded);
      },
      build() {
        context.reportProblems(read.flatMap((f) => f.problems));
        return buildTerraformModel(read);
      },
    };
  },
  empty: () => ({ modules: [] }),
  present: (model) => model.modules.length > 0,
  linker: terraformLinker,
});
