export * from './app-error';
export * from './error-code';
export * from './error-mapping';
export * from './grpc-status';
