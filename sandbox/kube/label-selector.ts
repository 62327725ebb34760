/** Parses a Kubernetes label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) into a predicate over labels. */
export function parseLabelSelector(selector: string): (labels: Record<string, string> | undefined) => boolean {
  const requirements: ((labels: Record<string, string>) => boolean)[] = [];
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts.map((part) => part.trim()).filter(Boolean)) {
    const setMatch = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw);
    if (setMatch) {
      const [, key, operator, list] = setMatch;
      const values = list!.split(',').map((value) => value.trim());
      requirements.push((labels) =>
        operator === 'in'
          ? key! in labels && values.includes(labels[key!]!)
          : !(key! in labels) || !values.includes(labels[key!]!),
      );
      continue;
    }
    const equality = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(raw);
    if (equality) {
      const [, key, operator, value] = equality;
      requirements.push((labels) => (operator === '!=' ? labels[key!] !== value : labels[key!] === value));
      continue;
    }
    if (raw.startsWith('!')) {
      const key = raw.slice(1).trim();
      requirements.push((labels) => !(key in labels));
      continue;
    }
    requirements.push((labels) => raw in labels);
  }
  return (labels) => requirements.every((requirement) => requirement(labels ?? {}));
}
