// @ts-check
// `npm run build:control-plane`: builds the pinned upstream Kubernetes control plane, etcd and KWOK from
// their Go modules through the Go module proxy, once per version: a second run finds them in the cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { controlPlaneCache, controlPlaneVersions } from './control-plane-versions.mjs';

/** Runs go in `cwd`, quiet unless it fails; then its own words are the error. */
function go(/** @type {string} */ cwd, /** @type {string[]} */ args) {
  const result = spawnSync('go', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' },
  });
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed in ${cwd}:\n${result.stderr}`);
  return result.stdout;
}

const goVersion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
if (goVersion.status !== 0) {
  console.error('build-control-plane: no go on PATH; the sandbox keeps its simulated control plane');
  process.exit(1);
}

/**
 * One wrapper module per component, so each keeps the dependency versions its own release pins.
 * @param {{ name: string, module: string, version: string, packages: string[], ldflags?: string[], replaces?: (work: string) => string[], main?: string, extras?: (work: string) => Record<string, string> }} component
 */
function build(component) {
  const dir = controlPlaneCache(component.name, component.version);
  if (existsSync(join(dir, '.built'))) {
    console.log(`${component.name} ${component.version}: cached in ${dir}`);
    return;
  }
  const started = Date.now();
  // Built beside the cache under this process's name, then renamed into place: a concurrent build of the
  // same version (two clones' CI) never sees half of another's, and the loser's rename just finds it done.
  const staging = `${dir}.build-${process.pid}`;
  const work = join(staging, 'work');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'go.mod'), `module jhub-runner/control-plane/${component.name}\n\ngo 1.24\n`);
  if (component.main) writeFileSync(join(work, 'main.go'), component.main);
  go(work, ['get', `${component.module}@${component.version}`]);
  for (const replace of component.replaces?.(work) ?? []) go(work, ['mod', 'edit', `-replace=${replace}`]);
  go(work, ['get', `${component.module}@${component.version}`]);
  const out = join(staging, 'bin');
  mkdirSync(out, { recursive: true });
  const ldflags = ['-s', '-w', ...(component.ldflags ?? [])].join(' ');
  go(work, ['build', '-trimpath', '-ldflags', ldflags, '-o', `${out}/`, ...component.packages]);
  for (const [name, text] of Object.entries(component.extras?.(work) ?? {})) writeFileSync(join(out, name), text);
  writeFileSync(join(staging, '.built'), `${component.module}@${component.version} with ${goVersion.stdout.trim()}\n`);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (!existsSync(join(dir, '.built'))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`${component.name} ${component.version}: built in ${Math.round((Date.now() - started) / 1000)} s`);
}

const { kubernetes, etcd, kwok } = controlPlaneVersions;
const minor = kubernetes.split('.')[1];
const stagingVersion = `v0.${kubernetes.slice(3)}`;
const versionFlags = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
  `-X ${pkg}.gitVersion=${kubernetes}`,
  `-X ${pkg}.gitMajor=1`,
  `-X ${pkg}.gitMinor=${minor}`,
  `-X ${pkg}.gitTreeState=clean`,
  `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
]);

build({
  name: 'kubernetes',
  module: 'k8s.io/kubernetes',
  version: kubernetes,
  packages: [
    'k8s.io/kubernetes/cmd/kube-apiserver',
    'k8s.io/kubernetes/cmd/kube-controller-manager',
    'k8s.io/kubernetes/cmd/kube-scheduler',
  ],
  ldflags: versionFlags,
  // k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with its own folders;
  // as a dependency, each is replaced with its published release instead (the documented way).
  replaces: (work) => {
    const info = JSON.parse(go(work, ['mod', 'download', '-json', `k8s.io/kubernetes@${kubernetes}`]));
    const staging = [...readFileSync(info.GoMod, 'utf8').matchAll(/^\s*(k8s\.io\/[\w.-]+) => \.\/staging\//gm)].map(
      (m) => m[1],
    );
    return staging.map((module) => `${module}=${module}@${stagingVersion}`);
  },
});
build({
  name: 'etcd',
  module: 'go.etcd.io/etcd/server/v3',
  version: etcd,
  packages: ['.'],
  main: 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n',
});
build({
  name: 'kwok',
  module: 'sigs.k8s.io/kwok',
  version: kwok,
  packages: ['sigs.k8s.io/kwok/cmd/kwok'],
  // KWOK runs no stage of its own: these are the release's own defaults, as `kwokctl` gives them (nodes Ready
  // with a lease heartbeat; pods Running and Ready at once, completed, deleted).
  extras: (work) => {
    const { Dir } = JSON.parse(go(work, ['list', '-m', '-json', 'sigs.k8s.io/kwok']));
    const stages = [
      'node/fast/node-initialize.yaml',
      'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
      ...['pod-ready', 'pod-complete', 'pod-delete'].map((name) => `pod/fast/${name}.yaml`),
    ];
    return {
      'stages.yaml': stages.map((path) => readFileSync(join(Dir, 'kustomize', 'stage', path), 'utf8')).join('\n---\n'),
    };
  },
});
