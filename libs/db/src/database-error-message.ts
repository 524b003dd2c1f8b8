import { driverAdapterCause } from './driver-adapter-cause';

/**
 * A database error in one line, as a person reads it: the database's own message when the error
 * came through the driver adapter (Prisma wraps it in a multi-line "Invalid `…` invocation"
 * text), otherwise the error's message with its line breaks folded.
 */
export function databaseErrorMessage(error: unknown): string {
  const cause = driverAdapterCause(error);
  if (typeof cause?.message === 'string' && cause.message) {
    return cause.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
