import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

export const REQUEST_TIMEOUT = 'request-timeout';
export const SKIP_REQUEST_TIMEOUT = 'skip-request-timeout';

export const Timeouts = {
  STANDARD: 20_000,
  EXPORT: 240_000,
  LEGACY: 120_000,
} as const;

/** Per-route budget; without an argument the interceptor's standard one applies. */
export function RequestTimeout(ms?: number): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUEST_TIMEOUT, ms), UseInterceptors(RequestTimeoutInterceptor));
}

export const NoRequestTimeout = () => SetMetadata(SKIP_REQUEST_TIMEOUT, true);
