import { Mastra } from '@mastra/core/mastra';
import { plannerAgent } from './agents/planner';

export const mastra = new Mastra({ agents: { plannerAgent } });
