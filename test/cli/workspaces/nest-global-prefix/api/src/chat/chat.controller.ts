import { Body, Controller, Post } from '@nestjs/common';
import OpenAI from 'openai';

const openai = new OpenAI({ timeout: 120_000, maxRetries: 0 });

@Controller('chat')
export class ChatController {
  @Post('complete')
  async complete(@Body() body: { messages: OpenAI.ChatCompletionMessageParam[] }) {
    return openai.chat.completions.create({ model: 'gpt-4o-mini', messages: body.messages });
  }
}
