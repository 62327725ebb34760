import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { definePlugin } from '../../runner/plugin-contract/contract.js';
import { helmHead } from '../../runner/plugins/tools/helm-head.js';
import { kubectlHead } from '../../runner/plugins/tools/kubectl-head.js';

const plan = () => ({ change: 'none' as const, reason: 'nothing', actions: [] });

describe('definePlugin', () => {
  it("takes each tool head's inventory variables and their defaults, so a plugin names them once", () => {
    const plugin = definePlugin({
      name: 'x',
      summary: 'x',
      schema: Type.Object({}),
      heads: [helmHead, kubectlHead.second],
      plan,
    });
    expect(plugin.varDefaults).toEqual({ ...helmHead.varDefaults, ...kubectlHead.second.varDefaults });
    expect(plugin.argsFromVars).toEqual({ ...helmHead.fromVars, ...kubectlHead.second.fromVars });
    expect(plugin).not.toHaveProperty('heads');
  });

  it("lets the plugin's own entries win over its heads'", () => {
    const plugin = definePlugin({
      name: 'x',
      summary: 'x',
      schema: Type.Object({}),
      heads: [helmHead],
      varDefaults: { helm_binary: 'helm3' },
      argsFromVars: { binary: 'my_helm' },
      plan,
    });
    expect(plugin.varDefaults).toEqual({ helm_binary: 'helm3' });
    expect(plugin.argsFromVars).toMatchObject({ binary: 'my_helm', kubeconfig: helmHead.fromVars.kubeconfig });
  });
});
