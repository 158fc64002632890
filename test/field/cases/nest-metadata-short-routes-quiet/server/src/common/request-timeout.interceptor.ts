import { CallHandler, ExecutionContext, Injectable, NestInterceptor, RequestTimeoutException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, TimeoutError, throwError } from 'rxjs';
import { catchError, timeout } from 'rxjs/operators';
import { REQUEST_TIMEOUT, SKIP_REQUEST_TIMEOUT, Timeouts } from './request-timeout';

@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get<boolean>(SKIP_REQUEST_TIMEOUT, context.getHandler())) {
      return next.handle();
    }
    const routeBudget = this.reflector.getAllAndOverride<number | undefined>(REQUEST_TIMEOUT, [context.getHandler(), context.getClass()]);
    // Routes without a budget of their own keep the long legacy limit.
    const budget = routeBudget ?? Timeouts.LEGACY;
    return next.handle().pipe(
      timeout(budget),
      catchError((err) => throwError(() => (err instanceof TimeoutError ? new RequestTimeoutException() : err))),
    );
  }
}
