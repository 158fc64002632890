import { Body, Controller, MessageEvent, Param, Post, Sse } from '@nestjs/common';
import { interval, map, Observable, takeWhile } from 'rxjs';

@Controller('imports')
export class ImportsController {
  private readonly progress = new Map<string, number>();

  @Post()
  start(@Body() body: { source: string }) {
    const id = Math.random().toString(36).slice(2);
    this.progress.set(id, 0);
    return { id, source: body.source };
  }

  @Sse(':id/events')
  events(@Param('id') id: string): Observable<MessageEvent> {
    return interval(1000).pipe(
      map(() => ({ data: { id, percent: this.progress.get(id) ?? 0 } })),
      takeWhile((event) => event.data.percent < 100, true),
    );
  }
}
