// An HTTP proxy in front of a test server (s3rver, Azurite) for the emulations the servers lack
// (S3 GLACIER in test/archive/glacier-proxy.ts, Azure's Archive tier in azure-archive-proxy.ts):
// each request arrives with its whole body, the emulation answers it or forwards it (the whole
// answer comes back to it, to rewrite), and a test can wait until the log it keeps says something.
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  data: Buffer;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The whole request body. */
  body: Buffer;
  /** Sends the request (or another one: method, path, headers or body changed) to the server. */
  forward: (change?: { method?: string; path?: string; headers?: IncomingHttpHeaders; body?: Buffer }) => Promise<Upstream>;
}

export interface BufferedProxy {
  endpoint: string;
  /** Resolves once `pred` holds, checked now and after every answer the proxy sends. */
  until: (pred: () => boolean) => Promise<void>;
  close: () => Promise<void>;
}

export async function startBufferedProxy(upstream: string, handle: (x: Exchange) => void): Promise<BufferedProxy> {
  const up = new URL(upstream);
  const waiters: Array<{ pred: () => boolean; resolve: () => void }> = [];
  const settle = (): void => {
    for (const w of [...waiters]) {
      if (w.pred()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // An answer counts once it has been written: a test waiting on the log sees it complete.
      res.once('finish', settle);
      const forward: Exchange['forward'] = (change = {}) =>
        new Promise((resolve, reject) => {
          const fwd = request(
            {
              host: up.hostname,
              port: up.port,
              method: change.method ?? req.method,
              path: change.path ?? req.url,
              headers: change.headers ?? req.headers,
            },
            (r) => {
              const data: Buffer[] = [];
              r.on('data', (c: Buffer) => data.push(c));
              r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, data: Buffer.concat(data) }));
            },
          );
          fwd.on('error', reject);
          fwd.end(change.body ?? body);
        });
      handle({ req, res, body, forward });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    until: (pred) =>
      new Promise<void>((resolve) => {
        if (pred()) return resolve();
        waiters.push({ pred, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The five predefined XML entities, as listings escape keys and blob names. */
export function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
