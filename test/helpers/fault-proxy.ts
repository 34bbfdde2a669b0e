// A fault-injecting HTTP proxy in front of a real object-store server: a seeded share of
// requests is answered 503 (throttling), another share is cut in the middle of the response.
// Everything else is forwarded untouched (headers included, so signatures still verify).
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng } from './random.js';

export interface FaultProxyOptions {
  upstream: string; // http://127.0.0.1:PORT
  seed: number;
  throttle: number; // share of requests answered 503
  cut: number; // share of requests cut mid-response
  /** Requests forwarded untouched whatever the dice say. */
  spare?: (req: IncomingMessage) => boolean;
}

export interface FaultProxy {
  endpoint: string;
  stats: { requests: number; throttled: number; cut: number };
  close: () => Promise<void>;
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const up = new URL(opts.upstream);
  const rng = new Rng(opts.seed);
  const stats = { requests: 0, throttled: 0, cut: 0 };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const dice = opts.spare?.(req) ? 1 : rng.next();
    if (dice < opts.throttle) {
      stats.throttled++;
      req.resume();
      req.on('end', () => {
        const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate (injected).</Message></Error>';
        res.writeHead(503, { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    const cut = dice < opts.throttle + opts.cut;
    const fwd = request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        if (!cut) {
          upRes.pipe(res);
          return;
        }
        stats.cut++;
        // Send part of the body (or none), then drop the connection.
        const len = Number(upRes.headers['content-length'] ?? 0);
        let sent = 0;
        const limit = Math.floor(len / 2);
        upRes.on('data', (chunk: Buffer) => {
          if (sent < limit) res.write(chunk.subarray(0, Math.max(0, limit - sent)));
          sent += chunk.length;
          if (sent >= limit) {
            upRes.destroy();
            res.socket?.destroy();
          }
        });
        upRes.on('end', () => res.socket?.destroy());
      },
    );
    fwd.on('error', () => res.socket?.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
