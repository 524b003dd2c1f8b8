import { SetMetadata } from '@nestjs/common';

export const DURABLE_IDEMPOTENCY = 'shannon:durable-idempotency';

/**
 * The route makes Idempotency-Key durable itself (task submit: in the task service's database),
 * so the gateway's Redis store leaves it alone.
 */
export const DurableIdempotency = () => SetMetadata(DURABLE_IDEMPOTENCY, true);
