import { Controller, Post, Req, Res } from '@nestjs/common';
import { CopilotRuntime, OpenAIAdapter, copilotRuntimeNodeHttpEndpoint } from '@copilotkit/runtime';
import OpenAI from 'openai';
import type { Request, Response } from 'express';

// The tuned client is passed to the adapter: its timeout bounds the model calls.
const openai = new OpenAI({ timeout: 120_000, maxRetries: 1 });

@Controller('/copilot')
export class AssistantController {
  // Drafts: the adapter makes its own OpenAI client.
  @Post('/draft')
  draft(@Req() req: Request, @Res() res: Response) {
    const handler = copilotRuntimeNodeHttpEndpoint({
      endpoint: '/copilot/draft',
      runtime: new CopilotRuntime(),
      serviceAdapter: new OpenAIAdapter({ model: 'gpt-4o-mini' }),
    });
    return handler(req, res);
  }

  @Post('/review')
  review(@Req() req: Request, @Res() res: Response) {
    const serviceAdapter = new OpenAIAdapter({ openai, model: 'gpt-4o' });
    const handler = copilotRuntimeNodeHttpEndpoint({ endpoint: '/copilot/review', runtime: new CopilotRuntime(), serviceAdapter });
    return handler(req, res);
  }
}
