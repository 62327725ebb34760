/** The one way the plugins list a namespace's claims: every plugin that compares claims reads the same list. */
export const claimListArgv = (kubectl: readonly string[], namespace: string): string[] => [
  ...kubectl,
  'get',
  'persistentvolumeclaims',
  '--namespace',
  namespace,
  '--output',
  'json',
];

/** The one way the plugins list the cluster's volumes. */
export const volumeListArgv = (kubectl: readonly string[]): string[] => [
  ...kubectl,
  'get',
  'persistentvolumes',
  '--output',
  'json',
];
