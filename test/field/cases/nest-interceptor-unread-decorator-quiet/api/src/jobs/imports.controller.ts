import { Controller, Param, Post } from '@nestjs/common';
import { RouteTimeout } from '../common/route-timeout';

@Controller('imports')
export class ImportsController {
  @RouteTimeout(120_000)
  @Post(':id')
  async start(@Param('id') id: string) {
    return { id, status: 'queued' };
  }
}
