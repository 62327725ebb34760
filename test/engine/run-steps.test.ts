import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordingRunner } from '../helpers/recording-runner.js';
import { runEngine } from '../helpers/engine-harness.js';

const touchTwice = `
name: touch
steps:
  - name: make marker
    command:
      argv: [touch, "{{ dir }}/marker"]
      creates: "{{ dir }}/marker"
  - name: edit values
    manifest.edit:
      path: "{{ dir }}/values.yaml"
      ops:
        - set: hub.replicas
          value: 2
`;

describe('runSteps in the three modes', () => {
  it('dry run: spawns nothing, still plans from files and reports what would change', async () => {
    const runner = recordingRunner(() => {
      throw new Error('no process may start in a dry run');
    });
    const run = await runEngine(touchTwice, {
      mode: 'dry-run',
      runner,
      files: { 'values.yaml': 'hub:\n  replicas: 1\n' },
    });
    expect(runner.calls).toEqual([]);
    expect(run.ends.map((end) => end.status)).toEqual(['changed', 'changed']);
    const plans = run.events.filter((event) => event.type === 'step:plan');
    expect(plans[0]).toMatchObject({ actions: [{ kind: 'exec', argv: ['touch', `${run.dir}/marker`] }] });
    expect(plans[1]).toMatchObject({
      diffs: [{ path: `${run.dir}/values.yaml`, before: 'hub:\n  replicas: 1\n', after: 'hub:\n  replicas: 2\n' }],
    });
    expect(existsSync(`${run.dir}/marker`)).toBe(false);
    expect(readFileSync(`${run.dir}/values.yaml`, 'utf8')).toBe('hub:\n  replicas: 1\n');
  });

  it('check: changes nothing and reports the same plan', async () => {
    const run = await runEngine(touchTwice, { mode: 'check', files: { 'values.yaml': 'hub:\n  replicas: 1\n' } });
    expect(run.runner.calls).toEqual([]);
    expect(run.recap).toMatchObject({ changed: 2, ok: 0 });
    expect(existsSync(`${run.dir}/marker`)).toBe(false);
  });

  it('apply: runs only what is needed, and a second run reports 0 changed', async () => {
    const first = await runEngine(touchTwice, { files: { 'values.yaml': 'hub:\n  replicas: 1\n' } });
    expect(first.recap).toMatchObject({ changed: 2, failed: 0 });
    expect(first.runner.calls.map((call) => call.argv[0])).toEqual(['touch']);
    expect(readFileSync(`${first.dir}/values.yaml`, 'utf8')).toBe('hub:\n  replicas: 2\n');
    const second = await runEngine(touchTwice, { dir: first.dir });
    expect(second.recap).toMatchObject({ changed: 0, ok: 2 });
    expect(second.runner.calls).toEqual([]);
    expect(second.ends.map((end) => end.reason)).toEqual([
      `${first.dir}/marker exists`,
      `${first.dir}/values.yaml already as requested`,
    ]);
  });

  it('dry run: a later step plans against the file an earlier step would write', async () => {
    const playbook = `
name: chain
steps:
  - name: first edit
    manifest.edit: {path: "{{ dir }}/v.yaml", ops: [{set: a, value: 1}]}
  - name: second edit
    manifest.edit: {path: "{{ dir }}/v.yaml", ops: [{set: b, value: 2}]}
`;
    const run = await runEngine(playbook, { mode: 'dry-run', files: { 'v.yaml': 'x: 0\n' } });
    const plans = run.events.filter((event) => event.type === 'step:plan');
    expect(plans[1]).toMatchObject({ diffs: [{ before: 'x: 0\na: 1\n', after: 'x: 0\na: 1\nb: 2\n' }] });
  });
});

describe('check mode and earlier unapplied changes', () => {
  it('reports unknown, not failed, for a step that reads a result not yet produced', async () => {
    const playbook = `
name: depends
steps:
  - name: produce
    command: {argv: [echo, hello]}
    register: produced
  - name: consume
    command: {argv: [echo, "{{ produced.stdout }}"]}
  - name: independent
    command: {argv: ["true"], creates: /}
`;
    const run = await runEngine(playbook, { mode: 'check' });
    expect(run.ends.map((end) => [end.name, end.status])).toEqual([
      ['produce', 'changed'],
      ['consume', 'unknown'],
      ['independent', 'ok'],
    ]);
    expect(run.ends[1]!.reason).toBe("depends on 'produced' from step 'produce', which has not been applied");
    expect(run.runner.calls).toEqual([]);
  });

  it('reports unknown for a step whose input file an earlier unapplied step would create', async () => {
    const playbook = `
name: missing input
steps:
  - name: fetch
    command: {argv: [cp, /etc/hostname, "{{ dir }}/fetched.yaml"], creates: "{{ dir }}/fetched.yaml"}
  - name: edit fetched
    manifest.edit: {path: "{{ dir }}/fetched.yaml", ops: [{delete: a}]}
`;
    const check = await runEngine(playbook, { mode: 'check' });
    expect(check.ends.map((end) => end.status)).toEqual(['changed', 'unknown']);
    expect(check.ends[1]!.reason).toBe('cannot be observed until earlier changes are applied');
  });

  it('fails such a step in apply mode when its input really is missing', async () => {
    const playbook = `
name: missing input
steps:
  - name: edit absent
    manifest.edit: {path: "{{ dir }}/absent.yaml", ops: [{delete: a}]}
`;
    const run = await runEngine(playbook);
    expect(run.ends[0]).toMatchObject({ status: 'failed', error: `${run.dir}/absent.yaml does not exist` });
  });
});

describe('step keys', () => {
  it('skips a step whose when is false and registers it as skipped', async () => {
    const playbook = `
name: when
vars: {enabled: false}
steps:
  - name: maybe
    when: enabled
    command: {argv: [echo, on]}
    register: maybe
  - name: report
    when: maybe.skipped
    command: {argv: [echo, was skipped]}
`;
    const run = await runEngine(playbook);
    expect(run.ends.map((end) => end.status)).toEqual(['skipped', 'changed']);
    expect(run.ends[0]!.reason).toBe('its condition is false (when: enabled)');
    expect(run.runner.calls.map((call) => call.argv)).toEqual([['echo', 'was skipped']]);
  });

  it('passes registered stdout to later steps', async () => {
    const playbook = `
name: register
steps:
  - name: say
    command: {argv: [echo, jupyter]}
    register: said
  - name: repeat
    command: {argv: [echo, "{{ said.stdout }}hub"]}
`;
    const run = await runEngine(playbook);
    expect(run.runner.calls[1]!.argv).toEqual(['echo', 'jupyterhub']);
  });

  it('retries until the condition holds, waiting between attempts', async () => {
    let calls = 0;
    const runner = recordingRunner(() => ({ exitCode: 0, stdout: String(++calls), stderr: '' }));
    const playbook = `
name: until
steps:
  - name: wait for three
    command: {argv: [count]}
    until: result.stdout == "3"
    retries: 5
    delay: 0
`;
    const run = await runEngine(playbook, { runner });
    expect(run.ends[0]).toMatchObject({ status: 'changed' });
    expect(run.events.filter((event) => event.type === 'step:retry')).toHaveLength(2);
  });

  it('fails when until never holds, after retries + 1 attempts', async () => {
    const runner = recordingRunner(() => ({ exitCode: 1, stdout: '', stderr: 'not ready' }));
    const playbook = `
name: until
steps:
  - name: never
    command: {argv: [probe]}
    until: result.rc == 0
    retries: 2
    delay: 0
`;
    const run = await runEngine(playbook, { runner });
    expect(runner.calls).toHaveLength(3);
    expect(run.ends[0]).toMatchObject({ status: 'failed', reason: "'until' still false after 3 attempt(s)" });
  });

  it('lets changed_when and failed_when decide from the result', async () => {
    const playbook = `
name: overrides
steps:
  - name: grep finds nothing
    command: {argv: [sh, -c, "exit 1"]}
    failed_when: result.rc > 1
    changed_when: false
  - name: prints an error
    command: {argv: [echo, ERROR]}
    failed_when: "'ERROR' in result.stdout"
`;
    const run = await runEngine(playbook);
    expect(run.ends.map((end) => [end.status, end.reason])).toEqual([
      ['ok', 'changed_when is false'],
      ['failed', 'failed_when is true'],
    ]);
    expect(run.recap).toMatchObject({ ok: 1, failed: 1 });
  });

  it("stops at the first failed step, with the tool's stderr", async () => {
    const playbook = `
name: stop
steps:
  - name: boom
    command: {argv: [sh, -c, "echo broken >&2; exit 7"]}
  - name: never runs
    command: {argv: [echo, x]}
`;
    const run = await runEngine(playbook);
    expect(run.ends).toHaveLength(1);
    expect(run.ends[0]).toMatchObject({ status: 'failed', error: 'sh exited with code 7: broken' });
    expect(run.recap.steps).toHaveLength(1);
  });

  it('fails a step whose rendered arguments break the plugin schema, naming where', async () => {
    const playbook = `
name: types
vars: {args: 5}
steps:
  - name: bad argv
    command:
      argv: "{{ args }}"
`;
    const run = await runEngine(playbook);
    expect(run.ends[0]).toMatchObject({
      status: 'failed',
      error: 'after templating, argv: expected a list, found number 5',
    });
    expect(run.ends[0]!.location).toMatch(/playbook\.yml:7:13$/);
  });

  it("masks secrets in every event, including a failed tool's stderr", async () => {
    const playbook = `
name: secret
steps:
  - name: leak attempt
    command: {argv: [sh, -c, "echo $0 >&2; exit 1", "hunter2-canary"]}
`;
    const run = await runEngine(playbook, { secrets: ['hunter2-canary'] });
    expect(JSON.stringify(run.events)).not.toContain('hunter2-canary');
    expect(run.ends[0]!.error).toBe('sh exited with code 1: ********');
  });

  it('passes a value with shell metacharacters as one literal argv element', async () => {
    const tricky = `a b; rm -rf / $(id) \`id\` "q" 'q' | > <`;
    const playbook = `
name: literal
steps:
  - name: print
    command: {argv: [printf, "%s", "{{ tricky }}"]}
    register: printed
`;
    const run = await runEngine(playbook, { vars: { tricky } });
    expect(run.runner.calls[0]!.argv).toEqual(['printf', '%s', tricky]);
    expect(run.ends[0]!.status).toBe('changed');
  });

  it('stops between steps when interrupted and says so in the recap', async () => {
    const controller = new AbortController();
    const runner = recordingRunner(() => {
      controller.abort();
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    const playbook = `
name: interrupt
steps:
  - name: first
    command: {argv: [echo, 1]}
  - name: second
    command: {argv: [echo, 2]}
`;
    const { recap } = await runEngine(playbook, { runner, signal: controller.signal });
    expect(recap.interrupted).toBe(true);
    expect(runner.calls).toHaveLength(1);
  });

  it('records a step whose probe or action the interrupt stopped as interrupted, not failed', async () => {
    for (const plugin of ['kubectl.get: {kind: pv}', 'command: {argv: [sleep, "60"]}']) {
      const controller = new AbortController();
      // The tool dies of the interrupt, as a killed kubectl or sleep would.
      const runner = recordingRunner(() => {
        controller.abort();
        return { exitCode: 143, stdout: '', stderr: 'signal: terminated' };
      });
      const run = await runEngine(`name: interrupt\nsteps:\n  - name: looks\n    ${plugin}\n`, {
        runner,
        signal: controller.signal,
      });
      expect(run.recap.interrupted, plugin).toBe(true);
      expect(run.ends[0], plugin).toMatchObject({ status: 'failed', reason: 'interrupted', error: 'interrupted' });
    }
  });
});

describe('values made from a secret', () => {
  it('never show, whole or in pieces: three letters per argv word, a number one more than a secret one', async () => {
    const playbook = `
name: pieces
steps:
  - name: pieces
    command: {argv: [echo, "{{ tok | truncate(3, true, '') }}", "{{ tok | reverse | truncate(3, true, '') }}", "{{ canary_num + 1 }}"]}
`;
    const run = await runEngine(playbook, {
      mode: 'dry-run',
      vars: { tok: 's3cr3t-token-xyz', canary_num: 47113 },
      secrets: ['s3cr3t-token-xyz', '47113'],
    });
    const shown = JSON.stringify(run.events);
    for (const piece of ['"s3c"', '"zyx"', '47114']) expect(shown).not.toContain(piece);
    expect(shown).toContain('"echo"');
  });
});

describe('plans that discover secrets', () => {
  it('masks generated tokens in every event and writes them with mode 0600, once', async () => {
    const playbook = `
name: secrets
steps:
  - name: generate
    secrets.generate:
      path: "{{ dir }}/secrets.yaml"
      keys: [hub.cookieSecret, proxy.secretToken]
  - name: show them
    command: {argv: [cat, "{{ dir }}/secrets.yaml"]}
    register: shown
`;
    const first = await runEngine(playbook);
    const { parse } = await import('yaml');
    const { statSync } = await import('node:fs');
    const text = readFileSync(`${first.dir}/secrets.yaml`, 'utf8');
    const tokens = Object.values(parse(text) as Record<string, Record<string, string>>).flatMap((section) =>
      Object.values(section),
    );
    expect(tokens).toHaveLength(2);
    expect(statSync(`${first.dir}/secrets.yaml`).mode & 0o777).toBe(0o600);
    const shown = JSON.stringify(first.events);
    for (const token of tokens) expect(shown).not.toContain(token);
    const second = await runEngine(playbook, { dir: first.dir });
    expect(second.ends[0]).toMatchObject({ status: 'ok' });
    expect(readFileSync(`${first.dir}/secrets.yaml`, 'utf8')).toBe(text);
    for (const token of tokens) expect(JSON.stringify(second.events)).not.toContain(token);
  });
});

describe('plans that wait', () => {
  const waiting = `
name: wait
steps:
  - name: wait for ready
    wait.until:
      argv: [probe]
      condition: result.stdout == "ready"
      timeout: 10
      interval: 2
      description: the hub to be ready
`;

  it('polls until the condition holds', async () => {
    const answers = ['starting', 'starting', 'ready'];
    const runner = recordingRunner(() => ({ exitCode: 0, stdout: answers.shift() ?? 'ready', stderr: '' }));
    const run = await runEngine(waiting, { runner });
    expect(run.ends[0]).toMatchObject({ status: 'ok', reason: 'the hub to be ready: holds' });
    expect(runner.calls).toHaveLength(3);
    expect(run.events.filter((event) => event.type === 'step:retry')).toHaveLength(2);
  });

  it('fails at the timeout, after timeout/interval more observations', async () => {
    const runner = recordingRunner(() => ({ exitCode: 0, stdout: 'starting', stderr: '' }));
    const run = await runEngine(waiting, { runner });
    expect(runner.calls).toHaveLength(6);
    expect(run.ends[0]).toMatchObject({
      status: 'failed',
      reason: 'timed out after 10s waiting for the hub to be ready: not yet',
    });
  });

  it('reports unknown under --check when it does not hold yet, ok when it does', async () => {
    const notYet = await runEngine(waiting, {
      mode: 'check',
      runner: recordingRunner(() => ({ exitCode: 0, stdout: 'starting', stderr: '' })),
    });
    expect(notYet.ends[0]).toMatchObject({ status: 'unknown', reason: 'would wait up to 10s for the hub to be ready' });
    expect(notYet.runner.calls).toHaveLength(1);
    const holds = await runEngine(waiting, {
      mode: 'check',
      runner: recordingRunner(() => ({ exitCode: 0, stdout: 'ready', stderr: '' })),
    });
    expect(holds.ends[0]).toMatchObject({ status: 'ok' });
  });

  it('runs nothing in a dry run', async () => {
    const runner = recordingRunner(() => {
      throw new Error('spawned');
    });
    const run = await runEngine(waiting, { mode: 'dry-run', runner });
    expect(run.ends[0]).toMatchObject({ status: 'unknown' });
    expect(runner.calls).toEqual([]);
  });
});

describe('template.render through the engine', () => {
  it("renders with the run's variables and is ok the second time", async () => {
    const playbook = `
name: render
vars: {domain: js-1.org}
steps:
  - name: render config
    template.render:
      src: "{{ dir }}/config.yaml.j2"
      dest: "{{ dir }}/config.yaml"
`;
    const first = await runEngine(playbook, { files: { 'config.yaml.j2': 'host: {{ domain }}\n' } });
    expect(first.ends[0]).toMatchObject({ status: 'changed' });
    expect(readFileSync(`${first.dir}/config.yaml`, 'utf8')).toBe('host: js-1.org\n');
    const second = await runEngine(playbook, { dir: first.dir });
    expect(second.ends[0]).toMatchObject({ status: 'ok' });
  });
});
