/** What PostgreSQL said, as Prisma's driver adapter passes it on with an error. */
export interface DriverAdapterCause {
  /** The adapter's name for the error (`UniqueConstraintViolation`…). */
  kind?: unknown;
  /** PostgreSQL's own message. */
  message?: unknown;
  /** PostgreSQL's SQLSTATE. */
  originalCode?: unknown;
}

/**
 * The driver adapter's account of a database error (`meta.driverAdapterError.cause` of a Prisma
 * error raised through `@prisma/adapter-pg`), undefined for any other error. Duck-typed, since each
 * service has its own generated client and error classes.
 */
export function driverAdapterCause(error: unknown): DriverAdapterCause | undefined {
  return (error as { meta?: { driverAdapterError?: { cause?: DriverAdapterCause } } } | null | undefined)?.meta?.driverAdapterError?.cause;
}
