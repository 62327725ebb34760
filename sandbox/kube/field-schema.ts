import kubeFields from './schemas/kube-fields.json' with { type: 'json' };

/** A field the schema does not declare: where the strict decoder and server-side apply name it. */
export interface UnknownField {
  /** As the JSON decoder names it: `spec.template.spec.containers[0].foo`. */
  path: string;
  /** As structured-merge-diff names it: `.spec.template.spec.containers[name="hub"].foo`. */
  applyPath: string;
}

export interface FieldCheck {
  /** The object with every undeclared field dropped, as the server stores it. */
  pruned: unknown;
  unknown: UnknownField[];
  /** The first value the Go decoder could not take (a quoted number where an int32 goes), in its words. */
  typeError?: string;
}

const models = kubeFields.models as Record<string, Record<string, string>>;
const kinds = kubeFields.kinds as Record<string, string>;

/** The schema's model for a kind, when the schemas know it (custom resources they do not). */
export function modelOf(apiVersion: string, kind: string): string | undefined {
  return kinds[`${apiVersion}/${kind}`];
}

const goName = (model: string) => model.replace(/^([A-Z][a-z]+)?V\d+((alpha|beta)\d+)?/, '');
const goType = (value: unknown) =>
  Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
const plainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Where {
  path: string;
  applyPath: string;
  /** The Go decoder's field stack: names only, no list indexes. */
  goPath: string;
  struct: string;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walk(value: unknown, type: string, where: Where, found: FieldCheck): unknown {
  if (value === null || value === undefined) return value;
  const [base, format] = type.split(':') as [string, string | undefined];
  const fields = models[base];
  if (fields) {
    if (!plainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const path = join(where.path, key);
      const applyPath = `${where.applyPath}.${key}`;
      const fieldType = fields[key];
      if (fieldType === undefined) {
        found.unknown.push({ path, applyPath });
        continue;
      }
      out[key] = walk(
        item,
        fieldType,
        { path, applyPath, goPath: join(where.goPath, key), struct: goName(base) },
        found,
      );
    }
    return out;
  }
  const list = /^Array<(.+)>$/.exec(base);
  if (list) {
    if (!Array.isArray(value)) return value;
    return value.map((item, index) => {
      const key =
        plainObject(item) && typeof item['name'] === 'string' ? `[name=${JSON.stringify(item['name'])}]` : `[${index}]`;
      return walk(
        item,
        `${list[1]}${format ? `:${format}` : ''}`,
        { ...where, path: `${where.path}[${index}]`, applyPath: `${where.applyPath}${key}` },
        found,
      );
    });
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(base);
  if (map) {
    if (!plainObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        walk(item, map[1]!, { ...where, path: join(where.path, key), applyPath: `${where.applyPath}.${key}` }, found),
      ]),
    );
  }
  // Quantities and int-or-strings take numbers and strings alike; an int32, int64 or bool field takes only its own.
  const goKind =
    base === 'boolean' ? 'bool' : base === 'number' && (format === 'int32' || format === 'int64') ? format : undefined;
  const fits = goKind === 'bool' ? typeof value === 'boolean' : goKind ? typeof value === 'number' : true;
  if (!fits && !found.typeError)
    found.typeError = `json: cannot unmarshal ${goType(value)} into Go struct field ${where.struct}.${where.goPath} of type ${goKind}`;
  return value;
}

/** Checks an object of a kind the schemas know against them; undefined when they do not know the kind. */
export function checkFields(object: Record<string, unknown>): FieldCheck | undefined {
  const model =
    typeof object['apiVersion'] === 'string' && typeof object['kind'] === 'string'
      ? modelOf(object['apiVersion'], object['kind'])
      : undefined;
  if (!model) return undefined;
  const found: FieldCheck = { pruned: undefined, unknown: [] };
  found.pruned = walk(object, model, { path: '', applyPath: '', goPath: '', struct: goName(model) }, found);
  return found;
}
