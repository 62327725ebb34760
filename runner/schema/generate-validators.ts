import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import { createAjv } from './ajv-instance.js';
import { playbookSchema } from './playbook-schema.js';
import { generatedDir, validatorFileName } from './precompiled.js';
import { argsValidatorName, playbookValidatorName, sandboxValidatorName } from './validator-names.js';
import { sandboxSchema } from '../../sandbox/index.js';
import { argsAjv } from './validate-args.js';

/** Compiles every validator of these plugins once, beside this module, so a run starts without compiling schemas. */
export async function generateValidators(plugins: readonly AnyPlugin[]): Promise<void> {
  const out = join(dirname(fileURLToPath(import.meta.url)), generatedDir);
  await mkdir(out, { recursive: true });
  const playbookAjv = createAjv({ code: { source: true }, inlineRefs: false });
  const playbookValidator = playbookAjv.compile(playbookSchema(plugins));
  await writeFile(
    join(out, validatorFileName(playbookValidatorName)),
    standaloneCode.default(playbookAjv, playbookValidator),
  );
  const sandboxAjv = createAjv({ code: { source: true } });
  await writeFile(
    join(out, validatorFileName(sandboxValidatorName)),
    standaloneCode.default(sandboxAjv, sandboxAjv.compile(sandboxSchema)),
  );
  for (const plugin of plugins) {
    const ajv = argsAjv(plugin, { code: { source: true } });
    await writeFile(
      join(out, validatorFileName(argsValidatorName(plugin.name))),
      standaloneCode.default(ajv, ajv.compile(plugin.schema)),
    );
  }
}
