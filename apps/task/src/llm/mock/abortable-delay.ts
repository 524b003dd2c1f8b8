/** Rejection reason of `abortableDelay` when its signal aborts. */
export class DelayAbortedError extends Error {
  override readonly name = 'DelayAbortedError';

  constructor(options?: { cause?: unknown }) {
    super('The delay was aborted.', options);
  }
}

/**
 * Resolves after `ms` milliseconds, or rejects with `DelayAbortedError` as soon as `signal`
 * aborts (immediately if it already has). The timer is cleared and the abort listener removed
 * either way, so many delays on one long-lived signal leak nothing.
 */
export function abortableDelay(
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) {
    return Promise.reject(new DelayAbortedError({ cause: signal.reason }));
  }
  if (ms <= 0) {
    return Promise.resolve();
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DelayAbortedError({ cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
