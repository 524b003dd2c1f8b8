import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ListEventsQuery, ListTasksQuery } from './list-tasks.query';
import { MAX_PAGE_OFFSET } from './paging';
import { ListSessionsQuery, SessionEventsQuery, SessionHistoryQuery } from './session-requests';

/** A query string's values as the gateway's validation pipe sees them: strings, transformed, then validated. */
async function errors(type: new () => object, query: Record<string, string>): Promise<string[]> {
  const found = await validate(plainToInstance(type, query), { whitelist: true, stopAtFirstError: true });
  return found.flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('offset of every paged list', () => {
  const lists = [ListTasksQuery, ListEventsQuery, ListSessionsQuery, SessionHistoryQuery, SessionEventsQuery].map((type) => [type.name, type] as const);

  it.each(lists)('%s takes 0 to MAX_PAGE_OFFSET', async (_name, type) => {
    expect(await errors(type, { offset: '0' })).toEqual([]);
    expect(await errors(type, { offset: String(MAX_PAGE_OFFSET) })).toEqual([]);
  });

  it.each(lists.flatMap(([name, type]) => [String(MAX_PAGE_OFFSET + 1), '4294967296', '99999999999999999999', '-1', '1e3', 'x'].map((offset) => [name, offset, type] as const)))(
    '%s refuses offset=%s',
    async (_name, offset, type) => {
      expect(await errors(type, { offset })).toEqual(['Invalid offset parameter']);
    },
  );
});
