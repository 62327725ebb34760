import { Type } from '@sinclair/typebox';
import { namespaceName, objectName } from '../../input/kube-names.js';

/** A resource kind as kubectl takes it (`pvc`, `deployment.apps`): never anything a shell would read. */
const kindPattern = '^[A-Za-z][A-Za-z0-9.-]*$';

/** Which objects a kubectl step addresses. */
export const objectArgs = {
  kind: Type.String({
    minLength: 1,
    pattern: kindPattern,
    description: 'Resource kind as kubectl takes it: pv, pvc, persistentvolumeclaims, deployment.apps...',
  }),
  name: Type.Optional(objectName('One object; without it, every object the other arguments select.')),
  namespace: Type.Optional(namespaceName('Namespace; ignored by kubectl for cluster-wide kinds such as pv.')),
  selector: Type.Optional(
    Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9_./!=,() -]+$',
      description: 'Label selector, such as component=singleuser-server.',
    }),
  ),
};

export function objectSelection(args: {
  kind: string;
  name?: string;
  namespace?: string;
  selector?: string;
}): string[] {
  return [
    args.kind,
    ...(args.name ? [args.name] : []),
    ...(args.namespace ? ['--namespace', args.namespace] : []),
    ...(args.selector ? ['--selector', args.selector] : []),
  ];
}

export function describeSelection(args: {
  kind: string;
  name?: string;
  namespace?: string;
  selector?: string;
}): string {
  return `${args.kind}${args.name ? `/${args.name}` : ''}${args.namespace ? ` in ${args.namespace}` : ''}${args.selector ? ` (${args.selector})` : ''}`;
}
