import { decodeTime } from 'ulid';
import { isTaskId, newTaskId } from './task-id';

describe(newTaskId.name, () => {
  it('names tasks task_<ULID> with the current time, all distinct', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5_000 }, newTaskId);
    expect(ids.every(isTaskId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(decodeTime(ids[0].slice('task_'.length))).toBeGreaterThanOrEqual(before);
    expect(decodeTime(ids[ids.length - 1].slice('task_'.length))).toBeLessThanOrEqual(Date.now());
  });

  it('spreads the random part over the whole alphabet', () => {
    const chars = new Set(Array.from({ length: 500 }, () => newTaskId().slice(-16)).join(''));
    expect(chars.size).toBe(32);
  });
});

describe(isTaskId.name, () => {
  it.each(['task_01ARZ3NDEKTSV4RRFFQ69G5FAV'])('accepts %s', (id) => expect(isTaskId(id)).toBe(true));
  it.each(['task_01arz3ndektsv4rrffq69g5fav', 'task_01ARZ3NDEKTSV4RRFFQ69G5FA', 'task_01ARZ3NDEKTSV4RRFFQ69G5FAVI', 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV', ''])('refuses %j', (id) =>
    expect(isTaskId(id)).toBe(false),
  );
});
