export * from './collect';
export * from './bus-namespace';
export * from './free-port';
export * from './grpc-failure';
export * from './test-database';
export * from './test-ids';
export * from './wait-for';
