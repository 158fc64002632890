import { Body, Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ChatService } from './chat.service';

@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post('stream')
  async stream(@Body() body: { question: string }, @Res() res: Response) {
    res.setHeader('Content-Type', 'text/event-stream');
    for await (const token of this.chat.tokens(body.question)) res.write(`data: ${JSON.stringify(token)}\n\n`);
    res.end();
  }
}
