import { isNode, type Document, type YAMLMap } from 'yaml';
import type { EditTarget } from './edit-target.js';
import { setPath } from './set-path.js';

export interface YamlTarget extends EditTarget {
  node: YAMLMap;
}

/** A map of a parsed YAML document; new values are created in that document, so its style applies. */
export function yamlTarget(node: YAMLMap, document: Document): YamlTarget {
  return {
    node,
    read: (path) => {
      if (!node.hasIn(path)) return { present: false, value: undefined };
      const value = node.getIn(path, false);
      return { present: true, value: isNode(value) ? value.toJSON() : value };
    },
    set: (path, value) => setPath(document, node, path, value),
    remove: (path) => {
      if (!node.hasIn(path)) return false;
      node.deleteIn(path);
      return true;
    },
  };
}
