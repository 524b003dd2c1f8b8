/** Ids clients may use for tasks and sessions (API.md). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9:_\-.]{1,128}$/;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
