import { Type, type Static } from '@sinclair/typebox';
import { stringify } from 'yaml';

/** Where the manifests of a kubectl step come from: files, or inline objects (already templated). */
export const manifestSourceArgs = {
  files: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Manifest files (YAML, one or more documents each).',
    }),
  ),
  manifest: Type.Optional(
    Type.Union(
      [
        Type.Record(Type.String(), Type.Unknown()),
        Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1 }),
      ],
      {
        description: 'Inline manifest object(s); sent to kubectl on standard input.',
      },
    ),
  ),
};

export type ManifestSource = { files?: string[]; manifest?: Static<typeof manifestSourceArgs.manifest> };

/** The `-f` arguments and standard input that hand these manifests to kubectl. */
export function manifestInput(source: ManifestSource): { argv: string[]; input?: string } {
  if (source.manifest !== undefined) {
    const documents = Array.isArray(source.manifest) ? source.manifest : [source.manifest];
    return {
      argv: ['-f', '-'],
      input: documents.map((document) => stringify(document, { version: '1.1' })).join('---\n'),
    };
  }
  return { argv: (source.files ?? []).flatMap((file) => ['-f', file]) };
}
