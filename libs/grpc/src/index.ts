export * from './grpc-client';
export * from './grpc-exception.filter';
export * from './grpc-package-definition';
export * from './grpc-server';
export * from './health';
export * from './server-stream';
export * from './service-command';
export * from './trace-propagation';
