import { distance } from 'fastest-levenshtein';

/** The closest candidate to a misspelt word, when one is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const tolerance = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= tolerance ? best : undefined;
}

export function didYouMeanHint(word: string, candidates: Iterable<string>): string | undefined {
  const match = didYouMean(word, candidates);
  return match ? `did you mean '${match}'?` : undefined;
}

const wordsOf = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  );

/** For a phrase such as a step name: a close spelling, else the candidate sharing the most words (at least two, or all the words of one of them). */
export function didYouMeanPhrase(phrase: string, candidates: readonly string[]): string | undefined {
  const spelt = didYouMean(phrase, candidates);
  if (spelt) return spelt;
  const typed = wordsOf(phrase);
  let best: string | undefined;
  let bestShared = 0;
  let whole = false;
  for (const candidate of candidates) {
    const words = wordsOf(candidate);
    const shared = [...typed].filter((word) => words.has(word)).length;
    if (shared > bestShared) {
      best = candidate;
      bestShared = shared;
      whole = shared === words.size || shared === typed.size;
    }
  }
  return best !== undefined && (bestShared >= 2 || whole) ? best : undefined;
}
