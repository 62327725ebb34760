/** How many of a step's detail lines a person is shown; the rest are counted (the JSON stream has them all). */
export const shownDetails = 20;

/** A step's item-by-item lines, cut short for a screen. */
export function formatDetails(details: readonly string[] | undefined, indent: string): string[] {
  if (!details?.length) return [];
  const lines = details.slice(0, shownDetails).map((line) => `${indent}${line}`);
  if (details.length > shownDetails) lines.push(`${indent}… and ${details.length - shownDetails} more`);
  return lines;
}
