import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'shannon:public-route';

/** Marks a route that needs no credentials (health, readiness, OpenAPI, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC_ROUTE, true);
