/**
 * `text` cut to at most `maxUnits` UTF-16 units (String.length) without splitting a character:
 * a surrogate pair (an emoji) that would be cut in half is left out whole. A lone surrogate is
 * not valid UTF-8, so JSON readers in other languages (Python's `print`, Go's json) choke on it,
 * and PostgreSQL refuses it in jsonb.
 */
export function cutText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) {
    return text;
  }
  const last = text.charCodeAt(maxUnits - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? maxUnits - 1 : maxUnits);
}

/**
 * `text` cut to at most `maxCharacters` characters, ending with "…" when it was cut. Characters
 * are Unicode code points, not UTF-16 units, so a character outside the BMP (an emoji) is kept
 * whole or left out, never split into a lone surrogate that PostgreSQL refuses in jsonb.
 */
export function shorten(text: string, maxCharacters: number): string {
  const characters = [...text];
  return characters.length > maxCharacters
    ? `${characters.slice(0, maxCharacters - 1).join('')}…`
    : text;
}
