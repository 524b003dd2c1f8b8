import type { Pool } from 'pg';
import { PgStatements } from './pg-statements';

describe(PgStatements.name, () => {
  const query = jest.fn();
  const sut = new PgStatements({ query } as unknown as Pool);

  beforeEach(() => query.mockReset());

  it('sends the statement’s text and values and resolves the row count', async () => {
    query.mockResolvedValue({ rowCount: 2, rows: [] });
    const values = ['a', 1, true, 5n, new Date(0), Buffer.from('x'), ['b', null], null];
    await expect(sut.execute({ text: 'UPDATE t SET a = $1', values })).resolves.toBe(2);
    expect(query).toHaveBeenCalledWith('UPDATE t SET a = $1', values);
  });

  it('resolves the rows a statement returns', async () => {
    query.mockResolvedValue({ rowCount: 1, rows: [{ id: 'x' }] });
    await expect(sut.rows<{ id: string }>({ text: 'SELECT id FROM t', values: [] })).resolves.toEqual([{ id: 'x' }]);
  });

  it('counts a statement without a row count as 0', async () => {
    query.mockResolvedValue({ rowCount: null, rows: [] });
    await expect(sut.execute({ text: 'LISTEN x', values: [] })).resolves.toBe(0);
  });

  it.each([[{ toFixed: () => '1.5' }], [[new Map()]]])('refuses a value pg would send as JSON text: %p', async (value) => {
    await expect(sut.execute({ text: 'UPDATE t SET a = $1', values: [value] })).rejects.toThrow(/plain values/);
    expect(query).not.toHaveBeenCalled();
  });
});
