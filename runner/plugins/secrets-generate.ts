import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { setPath } from './manifest/set-path.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { parseValuePath } from './manifest/value-path.js';
import { valuePathArg } from './manifest/predicate.js';

/** A token's size and form when a key names none; stated in words, as a default inside a choice of forms is not applied by the validator. */
const keyDefaults = { bytes: 32, encoding: 'hex' } as const;

const SecretKey = Type.Union([
  valuePathArg,
  Type.Object(
    {
      path: valuePathArg,
      bytes: Type.Optional(
        Type.Integer({
          minimum: 16,
          maximum: 512,
          description: `Random bytes in the token (default ${keyDefaults.bytes}, as \`openssl rand -hex 32\`).`,
        }),
      ),
      encoding: Type.Optional(
        Type.Union([Type.Literal('hex'), Type.Literal('base64url')], {
          description: `How the bytes are written (default ${keyDefaults.encoding}).`,
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);

const schema = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description: 'The YAML values file holding the secrets (for example secrets.yaml); written with mode 0600.',
    }),
    keys: Type.Array(SecretKey, {
      minItems: 1,
      description:
        'Paths of the tokens in the file, such as `hub.cookieSecret` and `proxy.secretToken`; a token already present is kept.',
    }),
  },
  { additionalProperties: false },
);

type Args = Static<typeof schema>;

interface SecretsFacts {
  text: string | undefined;
  mode: number | undefined;
  /** Fresh random tokens, drawn while probing so that planning stays pure. */
  candidates: string[];
}

const secretMode = 0o600;

function keySpec(key: Args['keys'][number]): {
  path: (string | number)[];
  bytes: number;
  encoding: 'hex' | 'base64url';
} {
  if (typeof key === 'string' || Array.isArray(key)) return { path: parseValuePath(key), bytes: 32, encoding: 'hex' };
  return {
    path: parseValuePath(key.path),
    bytes: key.bytes ?? keyDefaults.bytes,
    encoding: key.encoding ?? keyDefaults.encoding,
  };
}

function parseExisting(path: string, text: string | undefined): Document {
  const document: Document = parseDocument(text ?? '');
  if (document.errors.length > 0)
    throw new PlanError(`${path}: invalid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
  if (document.contents === null || (isScalar(document.contents) && document.contents.value === null))
    document.contents = document.createNode({});
  return document;
}

/** Tokens are generated once and kept on every later run; the file is private to its owner. */
export const secretsGeneratePlugin = definePlugin({
  name: 'secrets.generate',
  summary: 'Generate random tokens into a YAML file once (mode 0600), keep them on rerun, and mask them everywhere.',
  schema,
  async probe(args, io): Promise<SecretsFacts> {
    return {
      text: await io.readFile(args.path),
      mode: await io.fileMode(args.path),
      candidates: args.keys.map((key) => {
        const spec = keySpec(key);
        return randomBytes(spec.bytes).toString(spec.encoding);
      }),
    };
  },
  plan(args, facts): StepPlan {
    if (!facts) throw new PlanError(`cannot read ${args.path}`);
    const document = parseExisting(args.path, facts.text);
    const secrets: string[] = [];
    const generated: string[] = [];
    args.keys.forEach((key, index) => {
      const { path } = keySpec(key);
      const current = document.getIn(path);
      if (current !== undefined && current !== null && String(current) !== '') {
        secrets.push(String(current));
        // As written in the file too (quoted, escaped, folded over lines): a diff of the file shows it so.
        const range = (document.getIn(path, true) as { range?: [number, number, number] } | undefined)?.range;
        const written = range && facts.text ? facts.text.slice(range[0], range[1]).trimEnd() : undefined;
        if (written && written !== String(current)) secrets.push(written);
        return;
      }
      if (!isMap(document.contents) || !setPath(document, document.contents, path, facts.candidates[index])) {
        throw new PlanError(`${args.path}: cannot set ${path.join('.')}: a value on the way is not a map`);
      }
      secrets.push(facts.candidates[index]!);
      generated.push(path.join('.'));
    });
    const content = generated.length > 0 ? document.toString({ lineWidth: 0 }) : (facts.text ?? '');
    const data = { path: args.path, generated };
    if (generated.length === 0 && facts.mode === secretMode) {
      return {
        change: 'none',
        reason: `all ${args.keys.length} secret(s) present in ${args.path}`,
        actions: [],
        secrets,
        data,
      };
    }
    const reason =
      generated.length > 0 ? `generate ${generated.join(', ')} in ${args.path}` : `restrict ${args.path} to mode 0600`;
    return {
      change: facts.text === undefined ? 'create' : 'update',
      reason,
      actions: [{ kind: 'write', path: args.path, content, mode: secretMode }],
      diffs: [{ path: args.path, before: facts.text, after: content }],
      secrets,
      data,
    };
  },
});
