// The parts of nunjucks the runner reads, imported one by one so a run never loads its compiler or its environment.
declare module 'nunjucks/src/parser.js' {
  const parser: { parse(source: string, extensions: [], options: object): unknown };
  export default parser;
}
declare module 'nunjucks/src/filters.js' {
  const filters: Record<string, (value: unknown, ...args: unknown[]) => unknown>;
  export default filters;
}
declare module 'nunjucks/src/tests.js' {
  const tests: Record<string, (value: unknown, ...args: unknown[]) => unknown>;
  export default tests;
}
declare module 'nunjucks/src/runtime.js' {
  const runtime: { copySafeness(from: unknown, text: string): unknown; SafeString: new (text: string) => object };
  export default runtime;
}
