/** Collects repeated options, splitting comma-separated values (`--tags a,b --tags c`). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ];
}

export function collectRepeated(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
