import { Controller, Get, Param, Post } from '@nestjs/common';
import { NoRequestTimeout, RequestTimeout, Timeouts } from '../common/request-timeout';

@Controller('reports')
@RequestTimeout(Timeouts.STANDARD)
export class ReportsController {
  @Get(':id')
  findOne(@Param('id') id: string) {
    return { id };
  }

  @RequestTimeout(process.env.NODE_ENV === 'test' ? 1_000 : 45_000)
  @Post(':id/export')
  async exportPdf(@Param('id') id: string) {
    return { id, status: 'done' };
  }

  @NoRequestTimeout()
  @Get(':id/events')
  events(@Param('id') id: string) {
    return { id };
  }
}
