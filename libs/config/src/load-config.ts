import { z } from 'zod';

/** Thrown at start-up when the environment is wrong; names every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a zod object schema and returns the typed result.
 * Call it once in main.ts; nothing else reads process.env.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) {
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    const value = env[key];
    const shown = value === undefined ? 'missing' : isSecretKey(key) ? 'value hidden' : JSON.stringify(value);
    return `${key}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

export function isSecretKey(key: string): boolean {
  return /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/i.test(key);
}
