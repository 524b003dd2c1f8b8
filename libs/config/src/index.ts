export * from './env-fragments';
export * from './load-config';
