import { columnList } from './column-list';

describe(columnList.name, () => {
  it('names every column by its field, in order', () => {
    expect(columnList({ id: 'id', tenantId: 'tenant_id' })).toBe('id AS "id", tenant_id AS "tenantId"');
  });
});
