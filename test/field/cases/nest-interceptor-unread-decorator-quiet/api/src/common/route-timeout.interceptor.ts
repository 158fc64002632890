import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { timeout } from 'rxjs/operators';
import { ROUTE_TIMEOUT } from './route-timeout';

@Injectable()
export class RouteTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ms = this.reflector.get<number>(ROUTE_TIMEOUT, context.getHandler()) ?? 10_000;
    return next.handle().pipe(timeout(ms));
  }
}
