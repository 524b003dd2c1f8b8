/**
 * A database error in one line, as a person reads it: the database's own message when the error
 * came through the driver adapter (Prisma wraps it in a multi-line "Invalid `…` invocation"
 * text), otherwise the error's message with its line breaks folded. Duck-typed like
 * isUniqueViolation, since each service has its own generated client.
 */
export function databaseErrorMessage(error: unknown): string {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { message?: unknown } } } } | null)?.meta?.driverAdapterError?.cause;
  if (typeof cause?.message === 'string' && cause.message) {
    return cause.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
