import { isScalar, visit, type Node } from 'yaml';

// Plain scalars that YAML 1.1 readers (kubectl, helm) resolve to something other than a string.
const yaml11Special = new RegExp(
  [
    '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
    '^(?:~|null|Null|NULL|)$',
    '^[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+|0|[1-9][0-9_]*)$',
    '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+][0-9]+)?$',
    '^[-+]?\\.(?:inf|Inf|INF)$',
    '^\\.(?:nan|NaN|NAN)$',
  ].join('|'),
);

export function misreadByYaml11(text: string): boolean {
  return yaml11Special.test(text);
}

/** Quotes every string in a freshly created node that a YAML 1.1 reader would take for a boolean, number or null. */
export function quoteYaml11Ambiguous<T extends Node>(node: T): T {
  const quote = (scalar: unknown) => {
    if (isScalar(scalar) && typeof scalar.value === 'string' && misreadByYaml11(scalar.value))
      scalar.type = 'QUOTE_DOUBLE';
  };
  quote(node);
  visit(node, {
    Scalar: (_key, scalar) => quote(scalar),
    Pair: (_key, pair) => quote(pair.key),
  });
  return node;
}
