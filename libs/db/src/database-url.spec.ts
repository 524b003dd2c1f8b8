import { databaseName, databaseUrlForSchema } from './database-url';

describe(databaseUrlForSchema.name, () => {
  it('sets the service schema on a shared URL and keeps other parameters', () => {
    expect(databaseUrlForSchema('postgresql://u@h:5432/shannon?sslmode=disable', 'task')).toBe('postgresql://u@h:5432/shannon?sslmode=disable&schema=task');
    expect(databaseUrlForSchema('postgresql://u@h/shannon?schema=public', 'auth')).toBe('postgresql://u@h/shannon?schema=auth');
  });

  it('reads the database name', () => {
    expect(databaseName('postgresql://u@h:5432/shannon_e2e_test?schema=x')).toBe('shannon_e2e_test');
  });
});
