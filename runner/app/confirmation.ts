/**
 * Undefined when the answer is the word asked for (`yes` in any case, a namespace exactly); else why
 * not, telling a person who typed `y` or part of the word that the whole word is needed.
 */
export function notConfirmed(answer: string, expected = 'yes'): string | undefined {
  const given = expected === 'yes' ? answer.trim().toLowerCase() : answer.trim();
  if (given === expected) return undefined;
  return given !== '' && expected.startsWith(given)
    ? `not confirmed: the answer must be the whole word "${expected}"`
    : 'not confirmed';
}
