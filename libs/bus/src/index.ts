export * from './bus-publisher';
export * from './bus.module';
export * from './bus.options';
export * from './durable-consumer';
export * from './latest-message';
export * from './nats-connection';
export * from './nats-health.indicator';
export * from './stream-setup';
export type { JsMsg } from '@nats-io/jetstream';
