import { Injectable } from '@nestjs/common';
import { InternalClients } from '../clients/internal-clients';
import { RedisClient } from '../clients/redis.client';

const TIMEOUT_MS = 2_000;
const SERVICES = ['auth', 'session', 'task', 'streaming'] as const;

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

/**
 * Asks each internal service for its own health (which covers PostgreSQL and NATS as they see
 * them) and pings Redis itself. Every check is named, so a 503 says what is down.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly clients: InternalClients,
    private readonly redis: RedisClient,
  ) {}

  async check(): Promise<Readiness> {
    const checks: Record<string, string> = {};
    const dependencies: Record<string, string[]> = { postgres: [], nats: [] };
    await Promise.all([
      ...SERVICES.map(async (service) => {
        try {
          const answer = await this.clients.health[service].check({}, { timeoutMs: TIMEOUT_MS });
          checks[service] = answer.ready ? 'ok' : 'degraded';
          for (const [name, state] of Object.entries(answer.checks)) {
            if (state !== 'ok') {
              (dependencies[name] ??= []).push(`${service}: ${state}`);
            }
          }
        } catch (error) {
          checks[service] = `unreachable: ${(error as Error).message}`;
        }
      }),
      this.redis.ping().then(
        () => (checks['redis'] = 'ok'),
        (error: Error) => (checks['redis'] = `unreachable: ${error.message}`),
      ),
    ]);
    const servicesUp = SERVICES.every((s) => checks[s] !== undefined && !checks[s].startsWith('unreachable'));
    for (const [name, failures] of Object.entries(dependencies)) {
      checks[name] = failures.length > 0 ? failures.join('; ') : servicesUp ? 'ok' : 'unknown (a service that uses it is unreachable)';
    }
    return { ready: Object.values(checks).every((state) => state === 'ok'), checks };
  }
}
