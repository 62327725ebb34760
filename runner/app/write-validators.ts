// Build step (scripts/build.mjs): the built-in plugins' validators, compiled once so a run never compiles a schema.
import { builtinPlugins } from '../plugins/registry.js';
import { generateValidators } from '../schema/generate-validators.js';

await generateValidators(builtinPlugins);
