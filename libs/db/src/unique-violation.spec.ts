import { isUniqueViolation } from './unique-violation';

describe(isUniqueViolation.name, () => {
  it('recognises a model query’s, a raw query’s and pg’s own unique violation', () => {
    expect(isUniqueViolation({ code: 'P2002', meta: { target: ['task_id'] } })).toBe(true);
    expect(isUniqueViolation({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', originalCode: '23505' } } } })).toBe(true);
    expect(isUniqueViolation({ code: '23505', constraint: 'turns_pkey' })).toBe(true);
  });

  it.each([[{ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'ForeignKeyConstraintViolation' } } } }], [{ code: 'P2025' }], [{ code: '23503' }], [new Error('boom')], [null], ['P2002']])('is false for %j', (error) => {
    expect(isUniqueViolation(error)).toBe(false);
  });
});
