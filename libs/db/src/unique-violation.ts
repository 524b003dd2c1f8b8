/**
 * Whether a Prisma error is a unique-constraint violation, from a model query (P2002) or from a
 * raw one through the driver adapter (P2010 carrying the adapter's UniqueConstraintViolation).
 * Duck-typed, since each service has its own generated client and error classes.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
