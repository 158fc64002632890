import { Body, Controller, Post } from '@nestjs/common';
import { AssistantService } from './assistant.service';

@Controller('assistant')
export class AssistantController {
  constructor(private readonly assistant: AssistantService) {}

  @Post('answer')
  answer(@Body() body: { question: string }) {
    return this.assistant.answer(body.question);
  }
}
