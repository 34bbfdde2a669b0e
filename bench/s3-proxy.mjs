// A counting HTTP proxy between a tool and the S3 endpoint: every request is forwarded as it
// came (method, path, headers: SigV4 signs the Host header the client used, and the gateway
// checks it against what it receives), and counted by kind. Both tools go through the same
// proxy, so their request counts are taken the same way. take() returns the counts since the
// last take() and starts again.
import { Agent, createServer, request } from 'node:http';

/** The kind of an S3 request, by method and query: GET, PUT, HEAD, LIST, DELETE, POST. */
export function requestKind(method, url) {
  const q = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : new URLSearchParams();
  const path = url.split('?')[0];
  // Path style: /bucket is the bucket, /bucket/key an object.
  const bucketLevel = path.replace(/^\/+|\/+$/g, '').split('/').length <= 1;
  if (method === 'GET' && (bucketLevel || q.has('list-type') || q.has('uploads'))) return 'LIST';
  if (method === 'POST' && q.has('delete')) return 'DELETE';
  return method;
}

export async function startProxy(target) {
  const up = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let counts = fresh();
  const server = createServer((req, res) => {
    const kind = requestKind(req.method, req.url);
    counts.requests[kind] = (counts.requests[kind] ?? 0) + 1;
    counts.total++;
    req.on('data', (d) => {
      counts.bytesUp += d.length;
    });
    const fwd = request(
      // Expect is not signed; without it the body follows the headers at once (no 100 round trip).
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: withoutExpect(req.headers), agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
        answer.on('data', (d) => {
          counts.bytesDown += d.length;
        });
        answer.pipe(res);
      },
    );
    fwd.on('error', (e) => {
      counts.errors++;
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e.message));
    });
    req.pipe(fwd);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take() {
      const c = counts;
      counts = fresh();
      return c;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
        agent.destroy();
      }),
  };
}

function withoutExpect(headers) {
  const { expect, ...rest } = headers;
  return rest;
}

function fresh() {
  return { requests: {}, total: 0, bytesUp: 0, bytesDown: 0, errors: 0 };
}

/** "GET 12, PUT 40, ..." in a fixed order, for notes. */
export function formatRequests(c) {
  if (!c) return '';
  const order = ['GET', 'PUT', 'POST', 'HEAD', 'LIST', 'DELETE'];
  const kinds = [...order.filter((k) => c.requests[k]), ...Object.keys(c.requests).filter((k) => !order.includes(k))];
  return kinds.map((k) => `${k} ${c.requests[k]}`).join(', ');
}
