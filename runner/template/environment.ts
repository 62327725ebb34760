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
  return env;
}

export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}
