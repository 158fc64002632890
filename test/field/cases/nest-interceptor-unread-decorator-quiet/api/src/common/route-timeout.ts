import { SetMetadata } from '@nestjs/common';

export const ROUTE_TIMEOUT = 'route-timeout';

export const RouteTimeout = (ms: number) => SetMetadata(ROUTE_TIMEOUT, ms);
