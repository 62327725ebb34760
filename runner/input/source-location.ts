export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  return `${location.file}:${location.line}:${location.col}`;
}
