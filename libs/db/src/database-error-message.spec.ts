import { databaseErrorMessage } from './database-error-message';

describe(databaseErrorMessage.name, () => {
  it('gives the database message of an error from the driver adapter', () => {
    const error = Object.assign(new Error('\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `P0001`. Message: `injected fault for x`'), {
      code: 'P2010',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: 'P0001', message: 'injected fault for x' } } },
    });

    expect(databaseErrorMessage(error)).toBe('injected fault for x');
  });

  it('folds any other error message onto one line', () => {
    expect(databaseErrorMessage(new Error('\nInvalid `tx.task.update()` invocation:\n\n  Timed out\n'))).toBe('Invalid `tx.task.update()` invocation: Timed out');
    expect(databaseErrorMessage('no stream')).toBe('no stream');
  });
});
