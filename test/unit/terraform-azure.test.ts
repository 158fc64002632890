// Azure Application Gateway in Terraform: one hop per backend_http_settings a rule uses, its request_timeout with provenance (unknown when unset), and the code on its port.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { parseHcl } from '../../server/src/engine/inputs/terraform/hcl.js';
import { terraformLbHop } from '../../server/src/engine/inputs/terraform/hops.js';
import { loadBalancersOf } from '../../server/src/engine/inputs/terraform/load-balancers.js';
import { buildTerraformModel } from '../../server/src/engine/inputs/terraform/module.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

const GATEWAY = [
  'variable "api_timeout" {',
  '  default = 20',
  '}',
  '',
  'resource "azurerm_application_gateway" "web" {',
  '  name = "web-appgw"',
  '  backend_address_pool {',
  '    name  = "api-pool"',
  '    fqdns = ["api.internal.example"]',
  '  }',
  '  backend_http_settings {',
  '    name            = "api-settings"',
  '    port            = 8080',
  '    protocol        = "Http"',
  '    request_timeout = var.api_timeout',
  '  }',
  '  backend_http_settings {',
  '    name     = "unused"',
  '    port     = 9090',
  '    protocol = "Http"',
  '  }',
  '  backend_http_settings {',
  '    name     = "admin"',
  '    port     = 8081',
  '    protocol = "Http"',
  '  }',
  '  request_routing_rule {',
  '    name                       = "api"',
  '    backend_address_pool_name  = "api-pool"',
  '    backend_http_settings_name = "api-settings"',
  '  }',
  '  url_path_map {',
  '    name = "paths"',
  '    path_rule {',
  '      name                       = "admin"',
  '      backend_http_settings_name = "admin"',
  '    }',
  '  }',
  '}',
  '',
].join('\n');

function hops(text: string) {
  const model = buildTerraformModel([parseHcl('infra/appgw.tf', text)]);
  return model.modules.flatMap((m) => loadBalancersOf(m)).map(terraformLbHop);
}

describe('Azure Application Gateway (Terraform)', () => {
  it('makes a hop for each backend_http_settings a rule or path map uses, with its request_timeout', () => {
    const [api, admin, ...rest] = hops(GATEWAY);
    expect(rest).toEqual([]);
    expect(api!.label).toBe('Azure Application Gateway azurerm_application_gateway.web (backend_http_settings api-settings)');
    expect(api!.timeouts).toEqual([expect.objectContaining({ kind: 'total', knob: 'azurerm_application_gateway.backend_http_settings.request_timeout', ms: 20_000, source: 'set', text: '20' })]);
    expect(GATEWAY.slice(api!.timeouts[0]!.span!.start, api!.timeouts[0]!.span!.end)).toBe('20');
    expect(api!.keepAlive).toBeUndefined();
    // Unset: Azure's default is documented only for AGIC and PowerShell (30 s); never guessed here.
    expect(admin!.timeouts[0]).toMatchObject({ source: 'default', factsRef: '§19' });
    expect(admin!.timeouts[0]!.ms).toBeUndefined();
  });

  it('links the gateway to the code listening on the settings port', () => {
    const files: Record<string, string> = {
      'infra/appgw.tf': GATEWAY,
      'api/package.json': '{ "name": "api", "dependencies": { "express": "^4.0.0" } }\n',
      'api/src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/orders', async (req, res) => res.json(await (await fetch('https://erp.example.com/orders', { signal: AbortSignal.timeout(45_000) })).json()));\napp.listen(8080);\n",
    };
    const fs = new MemoryFs(files);
    const capture = createModelCapture();
    const report = lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
    const labels = chainsOf(capture.model()!).chains.map((c) => c.hops.map((h) => h.label));
    expect(labels).toContainEqual(['Azure Application Gateway azurerm_application_gateway.web (backend_http_settings api-settings)', 'express server in api', 'GET /orders handler', 'fetch GET https://erp.example.com/orders']);
    const outer = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner').map((f) => [f.span.file, files[f.span.file]!.slice(f.span.start, f.span.end), f.data['innerMs']]);
    expect(outer).toContainEqual(['infra/appgw.tf', '20', 45_000]);
  });
});
