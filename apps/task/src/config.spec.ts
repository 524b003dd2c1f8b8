import { ConfigError, loadConfig } from '@shannon/config';
import { taskConfigSchema } from './config';

describe('task configuration', () => {
  const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/shannon' };

  it('dispatches every task through the outbox by default', () => {
    expect(loadConfig(taskConfigSchema, base).TASK_DISPATCH).toBe('outbox');
  });

  it('allows the row-only benchmark variant in test', () => {
    expect(loadConfig(taskConfigSchema, { ...base, TASK_DISPATCH: 'row-only', ENVIRONMENT: 'test' }).TASK_DISPATCH).toBe('row-only');
  });

  it('gathers token deltas into events of at most 256 characters by default (ADR 0051: the memories of recent events count events)', () => {
    expect(loadConfig(taskConfigSchema, base).LLM_DELTA_MAX_CHARS).toBe(256);
  });

  it.each([
    [{ TASK_DISPATCH: 'row-only', ENVIRONMENT: 'production' }, /TASK_DISPATCH=row-only stores tasks that never run/],
    [{ TASK_DISPATCH: 'none' }, /TASK_DISPATCH/],
    [{ LLM_DELTA_MAX_CHARS: '4001' }, /LLM_DELTA_MAX_CHARS/],
    [{ LLM_DELTA_MAX_CHARS: '0' }, /LLM_DELTA_MAX_CHARS/],
  ])('refuses %j naming the key', (env, message) => {
    expect(() => loadConfig(taskConfigSchema, { ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig(taskConfigSchema, { ...base, ...env })).toThrow(message);
  });
});
