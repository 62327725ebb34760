import { parseAllDocuments, stringify } from 'yaml';

/**
 * KWOK's stages of the release, with the pod that starts running gated on the site's registry: a pod
 * runs only when every image it names (init containers and containers) is there; the sandbox's
 * kubelet image model (image-puller.ts) holds the others in ImagePullBackOff.
 */
export function siteStages(releaseStages: string, registry: ReadonlySet<string>): string {
  const everyImagePulls = `([(.spec.initContainers // [])[].image, (.spec.containers // [])[].image] - ${JSON.stringify([...registry].sort())}) | length == 0`;
  return parseAllDocuments(releaseStages)
    .map((document) => {
      const stage = document.toJS() as { metadata?: { name?: string }; spec?: any };
      if (stage?.metadata?.name === 'pod-ready')
        stage.spec.selector.matchExpressions.push({ key: everyImagePulls, operator: 'In', values: ['true'] });
      return stringify(stage);
    })
    .join('---\n');
}
