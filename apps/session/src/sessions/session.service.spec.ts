import { ValidationError } from '@shannon/errors';
import { SessionRetention } from '../retention/session-retention';
import type { SessionRepository, SessionRow } from './session.repository';
import { SessionService } from './session.service';

const caller = { tenantId: '11111111-1111-1111-1111-111111111111', userId: '22222222-2222-2222-2222-222222222222' };
const DAY = 24 * 60 * 60 * 1000;
const row = (overrides: Partial<SessionRow> = {}): SessionRow => ({
  id: '33333333-3333-3333-3333-333333333333',
  tenantId: caller.tenantId,
  userId: caller.userId,
  externalId: null,
  title: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  lastActivityAt: new Date(),
  deletedAt: null,
  deletedBy: null,
  deletedExternalId: null,
  ...overrides,
});

type Repo = jest.Mocked<
  Pick<SessionRepository, 'findById' | 'findByExternalId' | 'findDeletedByExternalId' | 'create' | 'touch' | 'purgeExpired' | 'softDelete' | 'updateTitle' | 'list' | 'stats'>
>;

describe(SessionService.name, () => {
  let sessions: Repo;
  let sut: SessionService;

  beforeEach(() => {
    sessions = {
      findById: jest.fn(),
      findByExternalId: jest.fn(),
      findDeletedByExternalId: jest.fn(),
      create: jest.fn(),
      touch: jest.fn(),
      purgeExpired: jest.fn(),
      softDelete: jest.fn(),
      updateTitle: jest.fn(),
      list: jest.fn(),
      stats: jest.fn().mockResolvedValue(new Map()),
    };
    sut = new SessionService(sessions as unknown as SessionRepository, new SessionRetention({ SESSION_TTL_SECONDS: 30 * 24 * 60 * 60 }));
  });

  it('creates a UUID session when no id is given', async () => {
    sessions.create.mockImplementation(async (_owner, id) => row({ id }));
    const { session, created } = await sut.resolve(caller, '');
    expect(created).toBe(true);
    expect(session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sessions.create).toHaveBeenCalledWith(caller, session.id, null);
  });

  it('keeps a client id as external id on a new UUID session', async () => {
    sessions.findByExternalId.mockResolvedValue(null);
    sessions.create.mockImplementation(async (_owner, id, externalId) => row({ id, externalId }));
    const { session } = await sut.resolve(caller, 'user-123-chat');
    expect(session.externalId).toBe('user-123-chat');
  });

  it('joins the existing session and records activity', async () => {
    const existing = row({ externalId: 'chat' });
    sessions.findByExternalId.mockResolvedValue(existing);
    sessions.touch.mockResolvedValue(existing);
    await expect(sut.resolve(caller, 'chat')).resolves.toEqual({ session: existing, created: false });
    expect(sessions.create).not.toHaveBeenCalled();
  });

  it('refuses malformed ids', async () => {
    await expect(sut.resolve(caller, 'has spaces')).rejects.toEqual(new ValidationError('Invalid session_id format'));
  });

  it('never joins another tenant’s session', async () => {
    sessions.findById.mockResolvedValue(row({ tenantId: '99999999-9999-9999-9999-999999999999' }));
    sessions.create.mockResolvedValue(null);
    await expect(sut.resolve(caller, '33333333-3333-3333-3333-333333333333')).rejects.toThrow('Session not found');
    await expect(sut.get(caller, '33333333-3333-3333-3333-333333333333')).rejects.toThrow('Session not found');
  });

  it('returns the winner when a concurrent request created the session first', async () => {
    const winner = row({ externalId: 'race' });
    sessions.findByExternalId.mockResolvedValueOnce(null).mockResolvedValueOnce(winner);
    sessions.create.mockResolvedValue(null);
    await expect(sut.resolve(caller, 'race')).resolves.toEqual({ session: winner, created: false });
  });

  it('refuses new turns in a deleted session', async () => {
    sessions.findByExternalId.mockResolvedValue(row({ externalId: 'gone', deletedAt: new Date() }));
    await expect(sut.resolve(caller, 'gone')).rejects.toThrow('Session not found');
    expect(sessions.create).not.toHaveBeenCalled();
  });

  it('starts over when the named session expired: the old one is purged and the id names a new one', async () => {
    const expired = row({ externalId: 'old-chat', lastActivityAt: new Date(Date.now() - 31 * DAY) });
    sessions.findByExternalId.mockResolvedValue(expired);
    sessions.create.mockImplementation(async (_owner, id, externalId) => row({ id, externalId }));
    const { session, created } = await sut.resolve(caller, 'old-chat');
    expect(sessions.purgeExpired).toHaveBeenCalledWith(expired.id, expect.any(Date));
    expect(created).toBe(true);
    expect(session.id).not.toBe(expired.id);
  });

  it('does not find deleted or expired sessions', async () => {
    sessions.findById.mockResolvedValueOnce(row({ deletedAt: new Date() })).mockResolvedValueOnce(row({ lastActivityAt: new Date(Date.now() - 31 * DAY) }));
    await expect(sut.get(caller, '33333333-3333-3333-3333-333333333333')).rejects.toThrow('Session not found');
    await expect(sut.get(caller, '33333333-3333-3333-3333-333333333333')).rejects.toThrow('Session not found');
  });

  it('deletes again without complaint (the client id then names only the deleted session), but not a session that never existed', async () => {
    sessions.findByExternalId.mockResolvedValue(null);
    sessions.findDeletedByExternalId.mockResolvedValueOnce(row({ deletedExternalId: 'x', deletedAt: new Date() })).mockResolvedValueOnce(null);
    await expect(sut.delete(caller, 'x')).resolves.toBeUndefined();
    expect(sessions.softDelete).toHaveBeenCalledWith('33333333-3333-3333-3333-333333333333', caller.userId, expect.any(Date));
    await expect(sut.delete(caller, 'never')).rejects.toThrow('Session not found');
  });

  it('lets the client id of a deleted session name a new one, but not its UUID', async () => {
    sessions.findByExternalId.mockResolvedValue(null);
    sessions.create.mockImplementation(async (_owner, id, externalId) => row({ id, externalId }));
    await expect(sut.resolve(caller, 'reused')).resolves.toMatchObject({ created: true, session: { externalId: 'reused' } });
    sessions.findById.mockResolvedValue(row({ deletedAt: new Date() }));
    await expect(sut.resolve(caller, '33333333-3333-3333-3333-333333333333')).rejects.toThrow('Session not found');
  });

  it('stores the title trimmed, and refuses one that is empty or too long', async () => {
    sessions.findByExternalId.mockResolvedValue(row({ externalId: 'chat' }));
    sessions.updateTitle.mockImplementation(async (id, title) => row({ id, title }));
    await expect(sut.updateTitle(caller, 'chat', '  Python questions  ')).resolves.toMatchObject({ title: 'Python questions' });
    await expect(sut.updateTitle(caller, 'chat', '   ')).rejects.toThrow('Title cannot be empty');
    await expect(sut.updateTitle(caller, 'chat', 'x'.repeat(61))).rejects.toThrow('Title must be 60 characters or less');
  });

  it('lists with the totals of each session and refuses pages over 100', async () => {
    const a = row({ id: 'a' });
    sessions.list.mockResolvedValue({ rows: [a], total: 1 });
    sessions.stats.mockResolvedValue(new Map([['a', { taskCount: 2, tokensUsed: 10, totalCostUsd: 0.5, successfulTasks: 2, failedTasks: 0, latestTaskQuery: 'q', latestTaskStatus: 'COMPLETED' }]]));
    const { items, total } = await sut.list(caller, 0, 0);
    expect(total).toBe(1);
    expect(items[0].stats.taskCount).toBe(2);
    expect(sessions.list).toHaveBeenCalledWith(caller.tenantId, expect.any(Date), 20, 0);
    await expect(sut.list(caller, 101, 0)).rejects.toThrow('Invalid limit parameter');
  });
});
