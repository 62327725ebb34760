import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeKubeProtobuf, UnsupportedProtobuf } from './decode-protobuf.js';
import { HttpError } from './http-error.js';

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function send(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** A request body as the API server reads one: protobuf, YAML (server-side apply) or JSON. */
export function parseObject(body: Buffer, contentType: string): any {
  if (contentType.includes('protobuf')) {
    try {
      return decodeKubeProtobuf(body);
    } catch (error) {
      if (error instanceof UnsupportedProtobuf) throw new HttpError(415, 'UnsupportedMediaType', error.message);
      throw new HttpError(400, 'BadRequest', `cannot decode the protobuf body: ${(error as Error).message}`);
    }
  }
  const text = body.toString('utf8');
  if (contentType.includes('yaml')) return parseYaml(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}
