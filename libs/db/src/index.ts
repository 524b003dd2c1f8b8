export * from './column-list';
export * from './database-error-message';
export * from './database-url';
export * from './migrator';
export * from './pg-statements';
export * from './prisma-adapter';
export * from './prisma-health.indicator';
export * from './unique-violation';
