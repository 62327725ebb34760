import nunjucks from 'nunjucks';

let environment: nunjucks.Environment | undefined;

/** One strict environment: an undefined variable is an error, never an empty string. */
export function templateEnvironment(): nunjucks.Environment {
  environment ??= createEnvironment();
  return environment;
}

function createEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { throwOnUndefined: true, autoescape: false, trimBlocks: true, lstripBlocks: true });
  env.addFilter('to_yaml', (value: unknown) => JSON.stringify(value));
  env.addFilter('to_json', (value: unknown) => JSON.stringify(value));
  env.addFilter('b64encode', (value: unknown) => Buffer.from(String(value), 'utf8').toString('base64'));
  env.addFilter('b64decode', (value: unknown) => Buffer.from(String(value), 'base64').toString('utf8'));
  env.addGlobal('__capture__', (value: unknown) => {
    captured.push(value);
    return '';
  });
  return env;
}

const compiledTemplates = new Map<string, nunjucks.Template>();

/** Renders a playbook string, compiling each distinct text once. */
export function renderTemplate(source: string, context: Record<string, unknown>): string {
  let template = compiledTemplates.get(source);
  if (!template) {
    template = new nunjucks.Template(source, templateEnvironment(), undefined, true);
    compiledTemplates.set(source, template);
  }
  return template.render(context);
}

const captured: unknown[] = [];

/** Evaluates an expression to its native value; rendering is synchronous, so one capture slot suffices. */
export function captureExpression(expression: string, context: Record<string, unknown>): unknown {
  captured.length = 0;
  renderTemplate(`{{ __capture__((${expression})) }}`, context);
  return captured[0];
}

export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** Whether a filter exists: nunjucks' own (upper, default, join...) or one added here. */
export function knownFilter(name: string): boolean {
  try {
    templateEnvironment().getFilter(name);
    return true;
  } catch {
    return false;
  }
}

/** The filter names a did-you-mean can offer. */
export function filterList(): string[] {
  return Object.keys((templateEnvironment() as unknown as { filters: Record<string, unknown> }).filters);
}
