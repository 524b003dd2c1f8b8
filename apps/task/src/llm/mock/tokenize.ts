/**
 * Word-ish tokens that keep their leading whitespace: a word (letters/digits, with inner
 * apostrophes) or a single punctuation character, plus any trailing whitespace at the end.
 * `tokenize(text).join('') === text` always holds.
 */
const TOKEN =
  /\s*(?:[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_])|\s+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Rough prompt-size estimate: about four characters per token, at least 1 when non-empty. */
export function countTokens(text: string): number {
  if (text.length === 0) {
    return 0;
  }
  return Math.max(1, Math.ceil(text.length / 4));
}
