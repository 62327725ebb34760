import { describe, expect, it } from 'vitest';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const deployment = (extra: string, replicas = '1') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hub
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: hub}
  template:
    metadata:
      labels: {app: hub}
    spec:
      containers:
        - name: hub
          image: quay.io/jupyterhub/k8s-hub:4.2.0
${extra}`;

const typo = '          imagePullPolicyy: Always\n  replica: 2\n';
const stored = (sandbox: Awaited<ReturnType<typeof kubeSandbox>>) =>
  sandbox.server.store.entries().filter((entry) => entry.object.kind === 'Deployment');

describe.each(['v33', 'v30'] as const)(
  'field validation from the Kubernetes schemas, driven by the real kubectl %s',
  (toolchain) => {
    it("kubectl apply (strict by default) refuses unknown fields by name, with the API server's message, and stores nothing", async () => {
      const sandbox = await kubeSandbox(toolchain, { 'd.yaml': deployment(typo) });
      const refused = await sandbox.kubectl(['apply', '-f', 'd.yaml']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toBe(
        'Error from server (BadRequest): error when creating "d.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      );
      expect(stored(sandbox)).toEqual([]);
    });

    it('server-side apply refuses them as structured-merge-diff words it', async () => {
      const sandbox = await kubeSandbox(toolchain, { 'd.yaml': deployment('          imagePullPolicyy: Always\n') });
      const refused = await sandbox.kubectl(['apply', '--server-side', '-f', 'd.yaml']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toBe(
        'Error from server: failed to create typed patch object (default/hub; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="hub"].imagePullPolicyy: field not declared in schema',
      );
      expect(stored(sandbox)).toEqual([]);
    });

    it('--validate=warn stores the object without them and warns; --validate=false drops them quietly', async () => {
      const sandbox = await kubeSandbox(toolchain, { 'd.yaml': deployment(typo) });
      const warned = await sandbox.kubectl(['apply', '--validate=warn', '-f', 'd.yaml']);
      expect(warned.exitCode).toBe(0);
      expect(warned.stderr).toContain('Warning: unknown field "spec.replica"');
      expect(warned.stderr).toContain('Warning: unknown field "spec.template.spec.containers[0].imagePullPolicyy"');
      const object = stored(sandbox)[0]!.object;
      expect(object.spec.replica).toBeUndefined();
      expect(object.spec.template.spec.containers[0]).not.toHaveProperty('imagePullPolicyy');
      const quiet = await sandbox.kubectl(['replace', '--validate=false', '-f', 'd.yaml']);
      expect(quiet).toMatchObject({ exitCode: 0, stderr: '' });
    });

    it('refuses a quoted number where the schema has an int32, whatever the validation', async () => {
      const sandbox = await kubeSandbox(toolchain, { 'd.yaml': deployment('', '"2"') });
      const refused = await sandbox.kubectl(['create', '--validate=false', '-f', 'd.yaml']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      );
    });

    it('takes quantities as numbers or strings, as the Go decoder does', async () => {
      const limits = '          resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: "0.5"}}\n';
      const sandbox = await kubeSandbox(toolchain, { 'd.yaml': deployment(limits) });
      expect((await sandbox.kubectl(['apply', '-f', 'd.yaml'])).exitCode).toBe(0);
    });
  },
);
