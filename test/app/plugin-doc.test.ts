import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { builtinPlugins } from '../../runner/plugins/registry.js';

describe('run doc', () => {
  it('lists every plugin a step can name, with its summary', async () => {
    const run = await runApp(['doc'], undefined, { defaultInventory: true });
    expect(run.code).toBe(0);
    for (const plugin of builtinPlugins) expect(run.stdout).toContain(`${plugin.name}`);
    expect(run.stdout).toMatch(/^helm\.release +Install or upgrade/m);
  });

  it("shows one plugin's arguments from its schema: type, required or not, the variable it defaults to, and the description", async () => {
    const run = await runApp(['doc', 'terraform.destroy'], undefined, { defaultInventory: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^terraform\.destroy: Destroy the infrastructure/);
    expect(run.stdout).toContain(
      '  dir  (string, optional, default: the terraform_dir variable)\n      Terraform working directory',
    );
    expect(run.stdout).toContain('  keep  (list of string, optional)');
    expect(run.stdout).toContain('  allow_scale_down  (boolean, optional)');
    expect(run.stdout).toContain('Variables it falls back to: terraform_binary="terraform"');
  });

  it("states each default once: from the schema (the one the validator fills in), never again in the argument's words", async () => {
    const run = await runApp(['doc', 'helm.release'], undefined, { defaultInventory: true });
    expect(run.stdout).toContain(
      '  timeout  (string, optional, default: "10m")\n      How long helm may wait, such as 10m.\n',
    );
    const repeated = builtinPlugins.flatMap((plugin) =>
      Object.entries(
        (plugin.schema as { properties?: Record<string, { description?: string; default?: unknown }> }).properties ??
          {},
      )
        .filter(
          ([name, property]) =>
            (property.default !== undefined || plugin.argsFromVars?.[name] !== undefined) &&
            /\(default/.test(property.description ?? ''),
        )
        .map(([name]) => `${plugin.name}.${name}`),
    );
    expect(repeated).toEqual([]);
  });

  it("says what register: gives, and when a plugin may destroy what users' data depends on", async () => {
    const destroy = await runApp(['doc', 'terraform.destroy'], undefined, { defaultInventory: true });
    expect(destroy.stdout).toContain(
      'register: gives status, changed, rc, stdout, stderr, stdout_lines, and:\n  destroyed  the resource addresses it destroys\n',
    );
    expect(destroy.stdout).toMatch(/\nMay destroy what users' data depends on: always: the instances/);
    const command = await runApp(['doc', 'command'], undefined, { defaultInventory: true });
    expect(command.stdout).toContain('register: gives status, changed, rc, stdout, stderr, stdout_lines\n');
    expect(command.stdout).not.toContain('May destroy');
  });

  it('documents every argument of every plugin: no schema property without a description', () => {
    const undocumented = builtinPlugins.flatMap((plugin) =>
      Object.entries((plugin.schema as { properties?: Record<string, { description?: string }> }).properties ?? {})
        .filter(([, property]) => !property.description)
        .map(([name]) => `${plugin.name}.${name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('refuses an unknown plugin with exit 3 and the closest name', async () => {
    const run = await runApp(['doc', 'helm.relase'], undefined, { defaultInventory: true });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe("error: no plugin named helm.relase; did you mean 'helm.release'? (run doc lists them)\n");
    expect(run.runner.calls).toEqual([]);
  });
});
