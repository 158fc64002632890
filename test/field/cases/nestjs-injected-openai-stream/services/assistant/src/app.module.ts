import { Module } from '@nestjs/common';
import OpenAI from 'openai';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  controllers: [ChatController],
  providers: [
    ChatService,
    // One client for the whole app, made by a factory provider and injected by its class.
    { provide: OpenAI, useFactory: () => new OpenAI({ apiKey: process.env.OPENAI_API_KEY }) },
  ],
})
export class AppModule {}
