import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { tempDir } from './temp-dir.js';

const standIn = fileURLToPath(new URL('../../sandbox/charts/jupyterhub', import.meta.url));

/** What the next chart changes from the stand-in, as its upgrade diff must list it. */
export const nextChart = {
  version: '5.0.0',
  hubImage: 'quay.io/jupyterhub/k8s-hub:5.0.0',
  renamed: { from: 'singleuser.storage.capacity', to: 'singleuser.storage.size' },
  added: 'PodDisruptionBudget hub',
  removed: 'NetworkPolicy singleuser',
};

const edit = (path: string, change: (text: string) => string) =>
  writeFileSync(path, change(readFileSync(path, 'utf8')));

/**
 * The stand-in chart's next major, packaged by the real helm for `sandbox.charts`: it renames a value
 * (its NOTES.txt fails the old key with the new name, as z2jh's does), adds an object, changes the
 * hub's image and removes an object.
 */
export async function nextChartArchive(): Promise<string> {
  const dir = await tempDir();
  const chart = `${dir}/jupyterhub`;
  cpSync(standIn, chart, { recursive: true });
  const meta = parse(readFileSync(`${chart}/Chart.yaml`, 'utf8'));
  writeFileSync(`${chart}/Chart.yaml`, stringify({ ...meta, version: nextChart.version, appVersion: '5.4.0' }));
  edit(`${chart}/values.yaml`, (text) =>
    text
      .replace(/(name: quay\.io\/jupyterhub\/k8s-hub\n\s+tag: )"4\.2\.0"/, '$1"5.0.0"')
      .replace(/^(\s+)capacity: 10Gi$/m, '$1size: 10Gi'),
  );
  edit(`${chart}/values.schema.json`, (text) => {
    const schema = JSON.parse(text);
    const storage = schema.properties.singleuser.properties.storage.properties;
    storage.size = storage.capacity;
    // The old key is still accepted by the schema, so the chart's own message can name the new one.
    storage.capacity = { description: 'Renamed to singleuser.storage.size in 5.0.0.' };
    return JSON.stringify(schema, null, 2);
  });
  edit(`${chart}/templates/hub-configmap.yaml`, (text) =>
    text.replace(
      'singleuser.storage.capacity: {{ .Values.singleuser.storage.capacity',
      'singleuser.storage.capacity: {{ .Values.singleuser.storage.size',
    ),
  );
  edit(`${chart}/templates/network-policies.yaml`, (text) =>
    text.replace('list "hub" "proxy" "singleuser"', 'list "hub" "proxy"'),
  );
  writeFileSync(
    `${chart}/templates/NOTES.txt`,
    '{{- if hasKey .Values.singleuser.storage "capacity" }}\n{{- fail "DEPRECATION: singleuser.storage.capacity has been renamed to singleuser.storage.size" }}\n{{- end }}\nJupyterHub is installed.\n',
  );
  writeFileSync(
    `${chart}/templates/hub-pdb.yaml`,
    [
      'apiVersion: policy/v1',
      'kind: PodDisruptionBudget',
      'metadata:',
      '  name: hub',
      '  labels:',
      '    {{- include "jupyterhub.labels" . | nindent 4 }}',
      '    component: hub',
      'spec:',
      '  maxUnavailable: 1',
      '  selector:',
      '    matchLabels:',
      '      component: hub',
      '',
    ].join('\n'),
  );
  const { helm } = await kubeBinaries('v33');
  execFileSync(helm, ['package', chart, '--destination', dir]);
  rmSync(chart, { recursive: true });
  return `${dir}/jupyterhub-${nextChart.version}.tgz`;
}
