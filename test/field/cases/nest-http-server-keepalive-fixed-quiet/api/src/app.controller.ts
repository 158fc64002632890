import { Controller, Get, Param } from '@nestjs/common';

@Controller('orders')
export class AppController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}
