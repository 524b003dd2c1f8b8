import { randomBytes, randomUUID } from 'node:crypto';

/** A fresh tenant and user per test keeps parallel tests apart without truncating tables. */
export function newIdentity(): { tenantId: string; userId: string } {
  return { tenantId: randomUUID(), userId: randomUUID() };
}

/** A NATS namespace unique to this run (stream, subject and consumer prefix). */
export function newBusNamespace(label: string): string {
  return `t${label}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
