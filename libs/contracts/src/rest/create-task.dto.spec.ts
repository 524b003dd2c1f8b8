import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CreateTaskDto } from './create-task.dto';

/** The body as the gateway's validation pipe sees it: transformed, then validated. */
async function parse(body: Record<string, unknown>): Promise<{ dto: CreateTaskDto; errors: string[] }> {
  const dto = plainToInstance(CreateTaskDto, body);
  const errors = await validate(dto, { whitelist: true, stopAtFirstError: true });
  return { dto, errors: errors.flatMap((error) => Object.values(error.constraints ?? {})) };
}

describe(CreateTaskDto.name, () => {
  it.each([
    ['mode', ' SIMPLE ', 'simple'],
    ['mode', 'Supervisor', 'supervisor'],
    ['model_tier', 'LARGE', 'large'],
    ['session_concurrency', ' Reject', 'reject'],
  ])('takes %s %j case-insensitively and trimmed, as %j', async (field, sent, stored) => {
    const { dto, errors } = await parse({ query: 'q', [field]: sent });
    expect(errors).toEqual([]);
    expect(dto[field as keyof CreateTaskDto]).toBe(stored);
  });

  it.each([
    ['mode', 'turbo', /^Invalid mode/],
    ['model_tier', 'huge', /^Invalid model_tier/],
    ['session_concurrency', 'queue', /^Invalid session_concurrency/],
    ['mode', 42, 'mode must be a string'],
  ])('still refuses %s %j', async (field, sent, message) => {
    const { errors } = await parse({ query: 'q', [field]: sent });
    expect(errors).toEqual([typeof message === 'string' ? message : expect.stringMatching(message)]);
  });
});
