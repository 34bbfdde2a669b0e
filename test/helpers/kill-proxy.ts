// An HTTP proxy in front of an object-store server that counts a client's requests and, when
// armed, lets the test kill the client at its n-th request: before that request reaches the
// server, or once the server has answered it (it took effect; the client never learns). Requests
// that arrive after the kill are dropped, so what the store holds is exactly what the client had
// done by then, plus whatever was already in flight (as when a real process dies).
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The path, and of the query only its first parameter's name (`?delete`, `?list-type`). */
  path: string;
}

export interface KillPoint {
  /** 1-based number of the request, counted from `arm` (among those `match` accepts, if given). */
  request: number;
  match?: (r: ProxiedRequest) => boolean;
  /** Kill before forwarding it, or after the server answered it. */
  when: 'before' | 'after';
  kill: () => void;
}

/** How a CLI run that was to be killed ended: killed or not, with what it printed and took. */
export interface KilledRun {
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface KillProxy {
  endpoint: string;
  /** Requests seen since the last `arm`. */
  readonly requests: ProxiedRequest[];
  /** Starts counting afresh; with a point, kills there. */
  arm: (point?: KillPoint) => void;
  /** The request the kill was made at, once made. */
  readonly hit: ProxiedRequest | null;
  close: () => Promise<void>;
}

export async function startKillProxy(upstream: string): Promise<KillProxy> {
  const up = new URL(upstream);
  let point: KillPoint | undefined;
  let requests: ProxiedRequest[] = [];
  let hit: ProxiedRequest | null = null;
  let dead = false;
  let matched = 0;

  const describe = (req: IncomingMessage): ProxiedRequest => {
    const [path = '', query = ''] = (req.url ?? '').split('?');
    // The SDK's own x-id=GetObject and the like say nothing the method does not.
    const first = query.split('&')[0]?.split('=')[0];
    return { method: req.method ?? '', path: first && first !== 'x-id' ? `${path}?${first}` : path };
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, onAnswered?: () => void): void => {
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      if (onAnswered) {
        upRes.resume();
        upRes.on('end', onAnswered);
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    fwd.on('error', () => res.socket?.destroy());
    fwd.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (dead) {
        res.socket?.destroy();
        return;
      }
      const seen = describe(req);
      requests.push(seen);
      const counted = point !== undefined && (point.match?.(seen) ?? true);
      if (counted) matched++;
      if (!point || !counted || matched !== point.request) {
        forward(req, res, body);
        return;
      }
      const { kill, when } = point;
      const die = () => {
        hit = seen;
        dead = true;
        kill();
        res.socket?.destroy();
      };
      if (when === 'before') die();
      else forward(req, res, body, die);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get hit() {
      return hit;
    },
    arm: (p?: KillPoint) => {
      point = p;
      requests = [];
      matched = 0;
      hit = null;
      dead = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
