export interface BusOptions {
  url: string;
  /** Prefix of stream, subject and consumer names (see BusNames); empty in production. */
  namespace: string;
  /** Connection name shown by the NATS server. */
  name: string;
}

export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
