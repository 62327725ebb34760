import { writeFileAtomic } from '../exec/atomic-write.js';
import { ExitCode } from '../exit-codes.js';
import { builtinPlugins } from '../plugins/registry.js';
import { playbookSchema } from '../schema/playbook-schema.js';
import type { AppIO } from './app-io.js';

export async function writeSchema(output: string | undefined, io: AppIO): Promise<number> {
  const text = `${JSON.stringify(playbookSchema(builtinPlugins), null, 2)}\n`;
  if (output) await writeFileAtomic(output, text);
  else io.stdout.write(text);
  return ExitCode.ok;
}
