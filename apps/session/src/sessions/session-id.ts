const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** How a session created under `sessionId` is stored: its UUID and, for a client's own id, that id. */
export interface NewSessionId {
  id: string;
  externalId: string | null;
}

/**
 * The ids of a new session named `sessionId` (a checked id): a UUID is kept (lower-case), a
 * client's own id is kept beside a fresh UUID, and no id gives a fresh UUID.
 */
export function newSessionId(sessionId: string, freshUuid: () => string): NewSessionId {
  if (!sessionId) {
    return { id: freshUuid(), externalId: null };
  }
  return isUuid(sessionId) ? { id: sessionId.toLowerCase(), externalId: null } : { id: freshUuid(), externalId: sessionId };
}
