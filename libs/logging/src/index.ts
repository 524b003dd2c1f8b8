export * from './logging.module';
export * from './trace-context';
