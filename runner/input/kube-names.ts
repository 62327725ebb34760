import { Type } from '@sinclair/typebox';

/** RFC 1123 labels: what Kubernetes accepts as a namespace, and helm as a release name. */
export const dnsLabelPattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RFC 1123 subdomains: object names such as Secrets and PersistentVolumes. */
export const dnsSubdomainPattern = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';

/** How a broken name is explained, instead of the raw pattern. */
export const patternMeanings: Record<string, string> = {
  [dnsLabelPattern]: "a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit",
  [dnsSubdomainPattern]:
    "a Kubernetes object name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
};

export const namespaceName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 63, pattern: dnsLabelPattern, description });
export const releaseName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 53, pattern: dnsLabelPattern, description });
export const objectName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: dnsSubdomainPattern, description });
