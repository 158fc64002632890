import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';

@Injectable()
export class AssistantService {
  private readonly openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 60_000 });

  async answer(question: string) {
    const completion = await this.openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: question }],
    });
    return { answer: completion.choices[0]?.message.content ?? '' };
  }
}
