import { Injectable } from '@nestjs/common';
import OpenAI from 'openai';

@Injectable()
export class ChatService {
  constructor(private readonly openai: OpenAI) {}

  async *tokens(question: string) {
    const stream = await this.openai.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: question }] });
    for await (const chunk of stream) yield chunk.choices[0]?.delta?.content ?? '';
  }
}
