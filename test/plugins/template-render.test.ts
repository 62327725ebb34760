import { describe, expect, it } from 'vitest';
import { templateRenderPlugin } from '../../runner/plugins/template-render.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';

const template =
  'ingress:\n  hosts:\n    - {{ domain }}\n{% if tls %}  tls:\n    - secretName: {{ secret_name | default("cert-secret") }}\n{% endif %}';
const vars = { domain: 'js-169-xx.jetstream-cloud.org', tls: true };

async function planFor(
  files: Record<string, string>,
  args: Record<string, unknown> = {},
  modes: Record<string, number> = {},
) {
  const full = { src: 'config.yaml.j2', dest: 'config.yaml', ...args } as Parameters<
    typeof templateRenderPlugin.plan
  >[0];
  return templateRenderPlugin.plan(
    full,
    await templateRenderPlugin.probe!(
      full,
      fakeProbeIO({ files: { 'config.yaml.j2': template, ...files }, modes, vars }),
    ),
  );
}

const rendered = 'ingress:\n  hosts:\n    - js-169-xx.jetstream-cloud.org\n  tls:\n    - secretName: cert-secret\n';

describe('template.render', () => {
  it('absent: creates the rendered file', async () => {
    const plan = await planFor({});
    expect(plan).toMatchObject({
      change: 'create',
      actions: [{ kind: 'write', path: 'config.yaml', content: rendered }],
    });
  });

  it('converged: ok with a reason', async () => {
    expect(await planFor({ 'config.yaml': rendered })).toMatchObject({
      change: 'none',
      reason: 'config.yaml is up to date',
    });
  });

  it('drifted: shows the diff', async () => {
    const plan = await planFor({ 'config.yaml': rendered.replace('cert-secret', 'old') });
    expect(plan.change).toBe('update');
    expect(plan.diffs).toEqual([
      { path: 'config.yaml', before: rendered.replace('cert-secret', 'old'), after: rendered },
    ]);
  });

  it('fixes only the mode when the content matches', async () => {
    const plan = await planFor({ 'config.yaml': rendered }, { mode: '0600' }, { 'config.yaml': 0o644 });
    expect(plan).toMatchObject({ change: 'update', reason: 'set mode of config.yaml to 0600', diffs: [] });
    expect(plan.actions[0]).toMatchObject({ mode: 0o600 });
  });

  it('lets extra vars override', async () => {
    const plan = await planFor({}, { vars: { secret_name: 'mine' } });
    expect((plan.actions[0] as { content: string }).content).toContain('secretName: mine');
  });

  it('names an undefined variable with the template file, line and column', async () => {
    const full = { src: 't.j2', dest: 'out' };
    await expect(
      templateRenderPlugin.probe!(full, fakeProbeIO({ files: { 't.j2': 'a: 1\nb: {{ domian }}\n' }, vars })),
    ).rejects.toThrow("t.j2:2:7: undefined variable 'domian' (did you mean 'domain'?)");
  });

  it('fails when the template is missing', async () => {
    await expect(templateRenderPlugin.probe!({ src: 'nope.j2', dest: 'out' }, fakeProbeIO())).rejects.toThrow(
      'template nope.j2 does not exist',
    );
  });
});

describe('template.render writes', () => {
  it('creates a file holding a secret 0600 and a plain one 0644, and keeps the mode of a file it replaces', async () => {
    const { runEngine } = await import('../helpers/engine-harness.js');
    const { chmodSync, statSync } = await import('node:fs');
    const { tempDir } = await import('../helpers/temp-dir.js');
    const dir = await tempDir({
      'token.j2': 'token: {{ token | upper }}\n',
      'plain.j2': 'name: {{ name }}\n',
      'kept.txt': 'old\n',
    });
    chmodSync(`${dir}/kept.txt`, 0o640);
    const playbook = [
      'name: render',
      'steps:',
      '  - {name: token, template.render: {src: "{{ dir }}/token.j2", dest: "{{ dir }}/token.yaml"}}',
      '  - {name: plain, template.render: {src: "{{ dir }}/plain.j2", dest: "{{ dir }}/plain.yaml"}}',
      '  - {name: kept, template.render: {src: "{{ dir }}/plain.j2", dest: "{{ dir }}/kept.txt"}}',
      '',
    ].join('\n');
    const run = await runEngine(playbook, {
      dir,
      vars: { token: 'tok-9a8b7c6d5e', name: 'hub' },
      secrets: ['tok-9a8b7c6d5e'],
    });
    expect(run.ends.map((end) => end.status)).toEqual(['changed', 'changed', 'changed']);
    expect(statSync(`${dir}/token.yaml`).mode & 0o777).toBe(0o600);
    expect(statSync(`${dir}/plain.yaml`).mode & 0o777).toBe(0o644);
    expect(statSync(`${dir}/kept.txt`).mode & 0o777).toBe(0o640);
  });
});
