import { ValidationError } from '@shannon/errors';

export const MAX_TITLE_LENGTH = 60;

// Line breaks and tabs become spaces; other control characters, zero-width spaces and byte-order
// marks are removed (as Shannon does).
const WHITESPACE_CONTROLS = /[\t\n\v\f\r]/g;
const INVISIBLE = /[\p{Cc}\u200B\uFEFF]/gu;

function clean(text: string): string {
  return text.replace(WHITESPACE_CONTROLS, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
}

/** Length in characters (Unicode code points), not UTF-16 units: an emoji counts once. */
export function characterCount(text: string): number {
  return [...text].length;
}

/** A title a client sets: 1..60 characters after trimming, else a ValidationError naming why. */
export function normalizeTitle(raw: string): string {
  if (!raw.trim()) {
    throw new ValidationError('Title cannot be empty');
  }
  const title = clean(raw);
  if (!title) {
    throw new ValidationError('Title cannot contain only control characters');
  }
  if (characterCount(title) > MAX_TITLE_LENGTH) {
    throw new ValidationError(`Title must be ${MAX_TITLE_LENGTH} characters or less`);
  }
  return title;
}

/** The title a session gets from its first query: the query itself, cut at a word to 60 characters. */
export function titleFromQuery(query: string): string {
  const text = clean(query);
  const chars = [...text];
  if (chars.length <= MAX_TITLE_LENGTH) {
    return text;
  }
  const head = chars.slice(0, MAX_TITLE_LENGTH - 1).join('');
  const lastSpace = head.lastIndexOf(' ');
  return `${(lastSpace >= 30 ? head.slice(0, lastSpace) : head).trimEnd()}…`;
}
