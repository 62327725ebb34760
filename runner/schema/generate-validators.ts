import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { builtinPlugins } from '../plugins/registry.js';
import { createAjv } from './ajv-instance.js';
import { playbookSchema } from './playbook-schema.js';
import { generatedDir, validatorFileName } from './precompiled.js';
import { argsValidatorName, playbookValidatorName, sandboxValidatorName } from './validator-names.js';
import { sandboxSchema } from '../../sandbox/index.js';
import { argsAjv } from './validate-args.js';

/** Build step: compiles every validator once, so a run starts without compiling schemas. */
async function generate(): Promise<void> {
  const out = join(dirname(fileURLToPath(import.meta.url)), generatedDir);
  await mkdir(out, { recursive: true });
  const playbookAjv = createAjv({ code: { source: true }, inlineRefs: false });
  const playbookValidator = playbookAjv.compile(playbookSchema(builtinPlugins));
  await writeFile(
    join(out, validatorFileName(playbookValidatorName)),
    standaloneCode.default(playbookAjv, playbookValidator),
  );
  const sandboxAjv = createAjv({ code: { source: true } });
  await writeFile(
    join(out, validatorFileName(sandboxValidatorName)),
    standaloneCode.default(sandboxAjv, sandboxAjv.compile(sandboxSchema)),
  );
  for (const plugin of builtinPlugins) {
    const ajv = argsAjv(plugin, { code: { source: true } });
    await writeFile(
      join(out, validatorFileName(argsValidatorName(plugin.name))),
      standaloneCode.default(ajv, ajv.compile(plugin.schema)),
    );
  }
}

await generate();
