// The daemon's HTTP API on node:http (a dozen routes do not need a framework, and node:http
// adds no dependency or start-up cost): bearer token on /api/*, JSON in and out, errors as
// {"error":{"message"}} with 400, 401, 404 or 409. The work is done by an ApiBackend.
import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from './job.js';
import { OPENAPI } from './openapi.js';

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiBackend {
  token(): string;
  health(): Promise<string[]>;
  metrics(): Promise<{ contentType: string; body: string }>;
  volumes(): unknown[];
  snapshots(volume: string): Promise<unknown[]>;
  jobs(filter: { volume?: string; state?: string; limit?: number }): Job[];
  job(id: string): Job | undefined;
  submit(body: unknown): Promise<{ id: string }>;
  cancel(id: string): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const STATES = new Set(['queued', 'running', 'succeeded', 'failed', 'canceled']);

export function startHttp(api: ApiBackend, host: string, port: number): Promise<{ server: Server; address: string }> {
  const server = createServer((req, res) => {
    handle(api, req, res).catch((err: unknown) => {
      if (err instanceof HttpError) send(res, err.status, { error: { message: err.message } });
      else send(res, 500, { error: { message: err instanceof Error ? err.message : String(err) } });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      resolve({ server, address: `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` });
    });
  });
}

async function handle(api: ApiBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://daemon');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/healthz' && method === 'GET') {
    const problems = await api.health();
    return send(res, problems.length ? 503 : 200, problems.length ? { status: 'degraded', problems } : { status: 'ok' });
  }
  if (path === '/metrics' && method === 'GET') {
    const m = await api.metrics();
    res.writeHead(200, { 'content-type': m.contentType });
    res.end(m.body);
    return;
  }
  if (!path.startsWith('/api/')) throw new HttpError(404, `no route ${method} ${path}`);
  authorize(api, req);
  if (path === '/api/v1/openapi.json' && method === 'GET') return send(res, 200, OPENAPI);
  if (path === '/api/v1/volumes' && method === 'GET') return send(res, 200, api.volumes());
  const snaps = /^\/api\/v1\/volumes\/([^/]+)\/snapshots$/.exec(path);
  if (snaps && method === 'GET') return send(res, 200, await api.snapshots(decodeURIComponent(snaps[1]!)));
  if (path === '/api/v1/jobs' && method === 'GET') {
    const q = url.searchParams;
    const state = q.get('state') ?? undefined;
    if (state !== undefined && !STATES.has(state)) throw new HttpError(400, `state ${state} is not one of ${[...STATES].join(', ')}`);
    const limitText = q.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new HttpError(400, `limit ${limitText} is not a count`);
    const volume = q.get('volume') ?? undefined;
    return send(res, 200, api.jobs({ ...(volume ? { volume } : {}), ...(state ? { state } : {}), ...(limit !== undefined ? { limit } : {}) }));
  }
  if (path === '/api/v1/jobs' && method === 'POST') return send(res, 202, await api.submit(await body(req)));
  const one = /^\/api\/v1\/jobs\/([^/]+)$/.exec(path);
  if (one && method === 'GET') {
    const job = api.job(decodeURIComponent(one[1]!));
    if (!job) throw new HttpError(404, `no job ${one[1]}`);
    return send(res, 200, job);
  }
  if (one && method === 'DELETE') {
    const id = decodeURIComponent(one[1]!);
    await api.cancel(id);
    return send(res, 202, { id });
  }
  throw new HttpError(404, `no route ${method} ${path}`);
}

function authorize(api: ApiBackend, req: IncomingMessage): void {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const want = Buffer.from(api.token());
  const got = Buffer.from(m?.[1] ?? '');
  if (!m || want.length === 0 || got.length !== want.length || !timingSafeEqual(got, want)) throw new HttpError(401, 'a valid bearer token is required (Authorization: Bearer <token>)');
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_BODY) throw new HttpError(400, `request body over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}

function send(res: ServerResponse, status: number, doc: unknown): void {
  const text = JSON.stringify(doc);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
