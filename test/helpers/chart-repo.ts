import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { tempDir } from './temp-dir.js';

const servers: { close: () => void }[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A chart repository on loopback holding the given chart, packaged and indexed by the real helm. */
export async function chartRepo(helm: string, chartDir: string): Promise<string> {
  const dir = await tempDir();
  const server = createServer(async (request, response) => {
    try {
      const body = await readFile(
        join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\/+/, '')),
      );
      response.writeHead(200);
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => server.close() });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await execa(helm, ['package', chartDir, '--destination', dir]);
  await execa(helm, ['repo', 'index', dir, '--url', url]);
  return url;
}
