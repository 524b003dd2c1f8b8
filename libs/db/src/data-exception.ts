import { driverAdapterCause } from './driver-adapter-cause';

/** A SQLSTATE of class 22, data exception: `22P02` invalid text representation, `22021` character not in repertoire, `22P05` untranslatable character… */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;

/**
 * The SQLSTATE of an error by which PostgreSQL refused a statement's data (class 22), otherwise
 * undefined. Such an error lies in the data, not in the database: the same statement fails the
 * same way every time. Read from a statement sent with pg alone (`code`) or through the driver
 * adapter (the `originalCode` of its cause).
 */
export function dataExceptionCode(error: unknown): string | undefined {
  const sqlState = driverAdapterCause(error)?.originalCode ?? (error as { code?: unknown } | null | undefined)?.code;
  return typeof sqlState === 'string' && DATA_EXCEPTION.test(sqlState) ? sqlState : undefined;
}
