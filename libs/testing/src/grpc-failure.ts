import { ConnectError } from '@connectrpc/connect';

/** The gRPC failure of a call that must fail (fails the test when the call succeeds or fails otherwise). */
export async function failureOf(call: Promise<unknown>): Promise<ConnectError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ConnectError)) {
    throw new Error(`Expected the call to fail with a ConnectError, got ${String(error)}`);
  }
  return error;
}
