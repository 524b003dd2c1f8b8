import type { Metadata } from '@grpc/grpc-js';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '@shannon/errors';
import { isSignedIdentity, signIdentity } from './identity-signature';

/** Who is calling: every internal call is made on behalf of one user of one tenant. */
export interface CallerIdentity {
  tenantId: string;
  userId: string;
}

export const TENANT_ID_METADATA_KEY = 'x-shannon-tenant-id';
export const USER_ID_METADATA_KEY = 'x-shannon-user-id';
export const IDENTITY_SIGNATURE_METADATA_KEY = 'x-shannon-identity-signature';

/**
 * Headers a gRPC client sends so the service knows the caller: the identity, signed with the
 * services' shared secret (docs/adr/0048), so that reaching an internal port is not enough to act
 * as any tenant.
 */
export function identityHeaders(identity: CallerIdentity): Record<string, string> {
  return {
    [TENANT_ID_METADATA_KEY]: identity.tenantId,
    [USER_ID_METADATA_KEY]: identity.userId,
    [IDENTITY_SIGNATURE_METADATA_KEY]: signIdentity(identity),
  };
}

export function identityFromMetadata(metadata: Pick<Metadata, 'get'> | undefined): CallerIdentity {
  const tenantId = String(metadata?.get(TENANT_ID_METADATA_KEY)[0] ?? '');
  const userId = String(metadata?.get(USER_ID_METADATA_KEY)[0] ?? '');
  if (!tenantId || !userId) {
    throw new UnauthenticatedError('Caller identity missing from call metadata');
  }
  const signature = String(metadata?.get(IDENTITY_SIGNATURE_METADATA_KEY)[0] ?? '');
  if (!isSignedIdentity({ tenantId, userId }, signature)) {
    throw new UnauthenticatedError('Caller identity not signed with this deployment’s INTERNAL_AUTH_SECRET, or signed too long ago');
  }
  return { tenantId, userId };
}

/** gRPC handler parameter: the caller's identity read from the call metadata. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): CallerIdentity =>
  identityFromMetadata(ctx.switchToRpc().getContext<Metadata>()),
);
