import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../../runner/plugins/registry.js';
import { helmHead } from '../../../runner/plugins/tools/helm-head.js';
import { kubectlHead } from '../../../runner/plugins/tools/kubectl-head.js';
import { openstackHead } from '../../../runner/plugins/tools/openstack-head.js';
import { terraformHead } from '../../../runner/plugins/tools/terraform-head.js';

const plugins = fileURLToPath(new URL('../../../runner/plugins', import.meta.url));
const heads = { kubectl: kubectlHead, helm: helmHead, terraform: terraformHead, openstack: openstackHead };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'tools'
        ? []
        : sources(`${dir}/${entry.name}`)
      : entry.name.endsWith('.ts')
        ? [`${dir}/${entry.name}`]
        : [],
  );
}

describe('tool heads', () => {
  it('each build the argv prefix from the program and the connection', () => {
    expect(kubectlHead.argv({ kubeconfig: 'k', context: 'c' })).toEqual([
      'kubectl',
      '--kubeconfig',
      'k',
      '--context',
      'c',
    ]);
    expect(helmHead.argv({ binary: 'helm4', context: 'c' })).toEqual(['helm4', '--kube-context', 'c']);
    expect(terraformHead.argv({ binary: 'tofu', dir: 'tf' })).toEqual(['tofu', '-chdir=tf']);
    expect(openstackHead.argv({ cloud: 'jetstream' })).toEqual(['openstack', '--os-cloud', 'jetstream']);
    expect(kubectlHead.second.argv({ kubectl_binary: 'k1.30' })).toEqual(['k1.30']);
  });

  it("are the only place a plugin's program, its default and its inventory variable are written", () => {
    const repeated = sources(plugins).flatMap((file) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /\?\? '(kubectl|helm|terraform|tofu|openstack)'|'(kubectl|helm|terraform|openstack)_binary'|(kubectl|helm)Connection\(/g,
        ),
      ].map((match) => `${file.slice(plugins.length + 1)}: ${match[0]}`),
    );
    expect(repeated).toEqual([]);
  });

  it('give every plugin of a tool the same program argument, default and variable', () => {
    for (const plugin of builtinPlugins) {
      const binary = (plugin.schema as { properties?: Record<string, unknown> }).properties?.['binary'];
      if (!binary) continue;
      const head = Object.values(heads).find((candidate) => candidate.args.binary === binary);
      expect(head, `${plugin.name}'s binary argument comes from a tool head`).toBeDefined();
      expect(plugin.argsFromVars?.['binary']).toBe(head!.fromVars.binary);
      expect(plugin.varDefaults).toMatchObject(head!.varDefaults);
    }
  });
});
