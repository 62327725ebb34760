// The registry this project installs from serves only some platforms' native rollup builds, so
// `npm install` leaves the others out of package-lock.json and npm 11's `npm ci` then refuses the
// lock. This adds a platform-tagged entry for each missing optional dependency; npm skips them
// on every other platform, exactly as it would with a complete lock. Run after changing dependencies.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const platform = (name) => {
  const tail = name.split('/').pop().replace(/^rollup-/, '');
  const [os, cpu] = tail.split('-');
  const osName = { win32: 'win32', darwin: 'darwin', linux: 'linux', android: 'android', freebsd: 'freebsd', openbsd: 'openbsd', openharmony: 'openharmony' }[os];
  const cpuName = { arm: 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' }[cpu];
  const libc = tail.includes('musl') ? ['musl'] : tail.includes('gnu') && osName === 'linux' ? ['glibc'] : undefined;
  return osName && cpuName ? { os: [osName], cpu: [cpuName], ...(libc ? { libc } : {}) } : undefined;
};
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${path}/node_modules/${name}`;
    if (lock.packages[key] || lock.packages[nested]) continue;
    const tags = platform(name);
    if (!tags) continue;
    lock.packages[key] = { version, dev: entry.dev, optional: true, ...tags };
    if (lock.packages[key].dev === undefined) delete lock.packages[key].dev;
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform-tagged optional entries`);
