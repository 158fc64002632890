import { Body, Controller, Post } from '@nestjs/common';
import OpenAI from 'openai';

const openai = new OpenAI();

@Controller('insights')
export class InsightsController {
  @Post('explain')
  async explain(@Body() body: { metric: string; series: number[] }) {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: `Explain the trend of ${body.metric}: ${body.series.join(', ')}` }],
    });
    return { text: completion.choices[0]?.message?.content };
  }
}
