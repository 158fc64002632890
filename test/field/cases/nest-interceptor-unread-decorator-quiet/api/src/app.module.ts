import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RouteTimeoutInterceptor } from './common/route-timeout.interceptor';
import { ImportsController } from './jobs/imports.controller';
import { JobsController } from './jobs/jobs.controller';

@Module({
  controllers: [JobsController, ImportsController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: RouteTimeoutInterceptor }],
})
export class AppModule {}
