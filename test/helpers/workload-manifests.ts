/** Worker nodes as `kubectl apply` takes them, one document each. */
export function workerNodes(...names: string[]): string {
  return names.map((name) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\n`).join('---\n');
}

/** A DaemonSet of one pause-like container, its pods labelled `component`, with the pod spec's extra lines (tolerations). */
export function daemonSet(name: string, component: string, image: string, extraSpec = ''): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: default}
spec:
  selector: {matchLabels: {component: ${component}}}
  template:
    metadata: {labels: {component: ${component}}}
    spec:
${extraSpec}      containers: [{name: pause, image: "${image}"}]
`;
}
