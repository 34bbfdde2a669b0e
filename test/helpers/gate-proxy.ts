// An HTTP proxy that forwards everything but holds back the requests a test names until it
// opens the gate, so a test can make a race happen in a chosen order instead of by timing.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  endpoint: string;
  /** Resolves when a held request has arrived (its body read, not yet forwarded). */
  held: Promise<void>;
  /** Forwards the held request(s) and every later one. */
  open: () => void;
  close: () => Promise<void>;
}

export async function startGateProxy(upstream: string, hold: (req: IncomingMessage) => boolean): Promise<GateProxy> {
  const up = new URL(upstream);
  let open = false;
  const waiting: Array<() => void> = [];
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    fwd.on('error', () => res.socket?.destroy());
    fwd.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!open && hold(req)) {
        waiting.push(() => forward(req, res, body));
        arrived();
      } else {
        forward(req, res, body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    held,
    open: () => {
      open = true;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
