import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CreateTaskDto, MAX_CONTEXT_DEPTH } from './create-task.dto';

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

  describe('context depth', () => {
    /** A context `levels` deep, itself the first: `{k: [[...]]}` or `{k: {a: {...}}}`. */
    function context(levels: number, kind: 'object' | 'array'): Record<string, unknown> {
      let value: unknown = 'leaf';
      for (let level = 1; level < levels; level++) {
        value = kind === 'object' ? { a: value } : [value];
      }
      return { k: value };
    }

    it.each(['object', 'array'] as const)(`takes a context nested ${MAX_CONTEXT_DEPTH} levels of %s deep`, async (kind) => {
      const { dto, errors } = await parse({ query: 'q', context: context(MAX_CONTEXT_DEPTH, kind) });
      expect(errors).toEqual([]);
      expect(dto.context).toEqual(context(MAX_CONTEXT_DEPTH, kind));
    });

    it.each([
      [MAX_CONTEXT_DEPTH + 1, 'object'],
      [MAX_CONTEXT_DEPTH + 1, 'array'],
      [50, 'object'],
      [100, 'array'],
    ] as const)('refuses a context %i levels of %s deep, naming the limit', async (levels, kind) => {
      const { errors } = await parse({ query: 'q', context: context(levels, kind) });
      expect(errors).toEqual([`context is nested too deeply (at most ${MAX_CONTEXT_DEPTH} levels)`]);
    });

    it('still refuses a context that is not an object first', async () => {
      expect((await parse({ query: 'q', context: [[[]]] })).errors).toEqual(['context must be an object']);
    });
  });
});
