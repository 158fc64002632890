import { Agent } from '@mastra/core/agent';
import { openai } from '@ai-sdk/openai';

export const plannerAgent = new Agent({
  name: 'Trip planner',
  instructions: 'Plan trips day by day, with travel times.',
  model: openai('gpt-4o'),
});
