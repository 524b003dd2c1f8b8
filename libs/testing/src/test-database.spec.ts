import { assertTestDatabase } from './test-database';
import { waitFor } from './wait-for';

describe(assertTestDatabase.name, () => {
  it('accepts only databases whose name ends in _test', () => {
    expect(() => assertTestDatabase('postgresql://postgres@127.0.0.1:5432/shannon_e2e_test')).not.toThrow();
    expect(() => assertTestDatabase('postgresql://postgres@127.0.0.1:5432/shannon')).toThrow(/must end in _test/);
    expect(() => assertTestDatabase('postgresql://postgres@127.0.0.1:5432/test_shannon')).toThrow(/must end in _test/);
  });
});

describe(waitFor.name, () => {
  it('resolves with the first value the probe returns', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls === 3 ? 'ready' : undefined), { intervalMs: 1 })).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails with the last error once time is up', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 20, intervalMs: 5, description: 'the service' },
      ),
    ).rejects.toThrow('Timed out after 20 ms waiting for the service: still down');
  });
});
