import { driverAdapterCause } from './driver-adapter-cause';

/** PostgreSQL's SQLSTATE for unique_violation, as pg reports it in `code`. */
const UNIQUE_VIOLATION_SQLSTATE = '23505';

/**
 * Whether an error is a unique-constraint violation: from a Prisma model query (P2002), a raw one
 * through the driver adapter (P2010 carrying the adapter's UniqueConstraintViolation) or a
 * statement sent with pg alone (SQLSTATE 23505).
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return code === 'P2002' || code === UNIQUE_VIOLATION_SQLSTATE || (code === 'P2010' && driverAdapterCause(error)?.kind === 'UniqueConstraintViolation');
}
