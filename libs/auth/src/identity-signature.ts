import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CallerIdentity } from './caller-identity';

/** Used when INTERNAL_AUTH_SECRET is not set, which the services' config allows in development only. */
const DEVELOPMENT_SECRET = 'shannon-development-internal-auth-secret (not for production)';
/** How far a signature's time may be from the receiver's clock (clock skew and queueing). */
export const IDENTITY_SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

let secret = DEVELOPMENT_SECRET;

/** Sets the secret this process signs and checks internal calls' identities with (INTERNAL_AUTH_SECRET; unset: the development one). */
export function useInternalAuthSecret(value: string | undefined): void {
  secret = value || DEVELOPMENT_SECRET;
}

function mac(identity: CallerIdentity, at: string): Buffer {
  return createHmac('sha256', secret).update(`${at}\n${identity.tenantId}\n${identity.userId}`).digest();
}

/** `<unix ms>.<HMAC-SHA256 of the time, tenant and user>`: what a service sends with the identity it calls for. */
export function signIdentity(identity: CallerIdentity, now = Date.now()): string {
  const at = String(now);
  return `${at}.${mac(identity, at).toString('base64url')}`;
}

/** Whether `signature` was made for this identity with this process's secret, within IDENTITY_SIGNATURE_MAX_AGE_MS of now. */
export function isSignedIdentity(identity: CallerIdentity, signature: string, now = Date.now()): boolean {
  const dot = signature.indexOf('.');
  const at = signature.slice(0, dot);
  if (dot <= 0 || !/^\d{1,15}$/.test(at) || Math.abs(now - Number(at)) > IDENTITY_SIGNATURE_MAX_AGE_MS) {
    return false;
  }
  const sent = Buffer.from(signature.slice(dot + 1), 'base64url');
  const expected = mac(identity, at);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
