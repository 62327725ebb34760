import { parse } from 'yaml';
import type { ProbeIO } from '../../plugin-contract/contract.js';
import type { ChartSchema } from './chart-values-check.js';

let pulls = 0;

/** `jupyterhub/jupyterhub`, `oci://registry/charts/jupyterhub` or a folder: the chart's own name, as helm names its folder. */
const chartNameOf = (reference: string) => reference.replace(/\/+$/, '').split('/').at(-1)!;

async function fromFolder(io: ProbeIO, dir: string): Promise<ChartSchema | undefined> {
  const chartYaml = await io.readFile(`${dir}/Chart.yaml`);
  if (chartYaml === undefined) return undefined;
  let meta: { name?: unknown; version?: unknown };
  try {
    meta = (parse(chartYaml) ?? {}) as typeof meta;
  } catch {
    return undefined;
  }
  const schemaText = await io.readFile(`${dir}/values.schema.json`);
  let schema: Record<string, unknown> | undefined;
  try {
    schema = schemaText === undefined ? undefined : (JSON.parse(schemaText) as Record<string, unknown>);
  } catch {
    schema = undefined;
  }
  return {
    name: String(meta.name ?? chartNameOf(dir)),
    version: String(meta.version ?? ''),
    dir,
    ...(schema ? { schema } : {}),
  };
}

/**
 * The chart a release step installs, read before anything is written: a local chart's folder, or
 * the chart `helm pull` fetches into the run's private folder (reads only, of the repository). When
 * it cannot be fetched yet (its repository is added by an earlier step not run in --check), what the
 * step names of it still serves the renamed-values check.
 */
export async function chartSchemaFor(
  io: ProbeIO,
  helm: string[],
  chart: string,
  version: string | undefined,
): Promise<ChartSchema | undefined> {
  const local = await fromFolder(io, chart);
  if (local) return local;
  pulls += 1;
  const dir = io.scratchPath(`chart-${pulls}`);
  const pulled = await io.run([
    ...helm,
    'pull',
    chart,
    ...(version ? ['--version', version] : []),
    '--untar',
    '--untardir',
    dir,
  ]);
  if (pulled.exitCode === 0) {
    const read = await fromFolder(io, `${dir}/${chartNameOf(chart)}`);
    if (read) return read;
  }
  return version ? { name: chartNameOf(chart), version } : undefined;
}
