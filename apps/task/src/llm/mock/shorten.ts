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
