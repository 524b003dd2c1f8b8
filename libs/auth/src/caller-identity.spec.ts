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

  it('refuses a call without an identity', () => {
    expect(() => identityFromMetadata(new Metadata())).toThrow(UnauthenticatedError);
    expect(() => identityFromMetadata(undefined)).toThrow('Caller identity missing from call metadata');
  });
});
