import { LongRunning } from '@acme/nest-kit';
import { Controller, Param, Post } from '@nestjs/common';
import axios from 'axios';

@Controller('jobs')
export class JobsController {
  @LongRunning()
  @Post(':id/run')
  async run(@Param('id') id: string) {
    const { data } = await axios.post(`http://runner.internal/jobs/${id}`, {}, { timeout: 90_000 });
    return data;
  }
}
