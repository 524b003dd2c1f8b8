import { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedError } from '@shannon/errors';
import { identityFromMetadata, identityHeaders } from './caller-identity';

describe(identityFromMetadata.name, () => {
  it('round-trips the identity through call metadata', () => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(identityHeaders({ tenantId: 't1', userId: 'u1' }))) {
      metadata.set(key, value);
    }
    expect(identityFromMetadata(metadata)).toEqual({ tenantId: 't1', userId: 'u1' });
  });

  it('refuses an identity without a valid signature: reaching the port is not enough', () => {
    const metadata = new Metadata();
    metadata.set('x-shannon-tenant-id', 't1');
    metadata.set('x-shannon-user-id', 'u1');
    expect(() => identityFromMetadata(metadata)).toThrow(UnauthenticatedError);
    const signedForAnother = identityHeaders({ tenantId: 't2', userId: 'u1' })['x-shannon-identity-signature'];
    metadata.set('x-shannon-identity-signature', signedForAnother);
    expect(() => identityFromMetadata(metadata)).toThrow(/not signed/);
  });

  it('refuses a call without an identity', () => {
    expect(() => identityFromMetadata(new Metadata())).toThrow(UnauthenticatedError);
    expect(() => identityFromMetadata(undefined)).toThrow('Caller identity missing from call metadata');
  });
});
