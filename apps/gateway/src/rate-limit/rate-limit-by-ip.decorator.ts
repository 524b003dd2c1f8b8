import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_BY_IP = 'shannon:rate-limit-by-ip';

/** A public route limited per client IP (AUTH_RATE_LIMIT_RPM): register, login, refresh. */
export const RateLimitByIp = () => SetMetadata(RATE_LIMIT_BY_IP, true);
