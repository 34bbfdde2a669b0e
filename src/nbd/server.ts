// The NBD listener: TCP (HOST:PORT) or a unix socket (unix:PATH). Each connection runs the
// handshake and then its own session over the shared exports; a client that disconnects, breaks
// the protocol or meets an error ends only its own connection.
import { rm } from 'node:fs/promises';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { UsageError } from '../errors.js';
import type { BlockExport } from './export.js';
import { handshake } from './handshake.js';
import { ProtocolError } from './protocol.js';
import { type ServeStats, Session, newStats } from './session.js';
import { ConnectionClosed, Wire } from './wire.js';

export type ListenAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** `unix:PATH`, `HOST:PORT` or `[V6]:PORT`. */
export function parseListen(spec: string): ListenAddress {
  if (spec.startsWith('unix:')) {
    const path = spec.slice(5);
    if (!path) throw new UsageError('--listen unix: needs a socket path');
    return { kind: 'unix', path };
  }
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(spec);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) throw new UsageError(`--listen must be HOST:PORT or unix:PATH, not ${spec}`);
  return { kind: 'tcp', host: m[1] ?? m[2]!, port };
}

export interface NbdServerOptions {
  /** Told about failed requests and broken connections (one line each). */
  onLog?: (line: string) => void;
  /** The clock of the stats' first-read time (default Date.now). */
  now?: () => number;
}

export class NbdServer {
  readonly stats: ServeStats = newStats();
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Promise<void>>();
  private constructor(
    private readonly server: Server,
    readonly address: string,
    private readonly now: () => number,
  ) {}

  static async listen(spec: string, exports: readonly BlockExport[], opts: NbdServerOptions = {}): Promise<NbdServer> {
    const where = parseListen(spec);
    const log = opts.onLog ?? (() => {});
    let self: NbdServer | null = null;
    const server = createServer((socket) => self?.accept(socket, exports, log));
    try {
      await bind(server, where);
    } catch (err) {
      // A unix socket left by a server that died: nobody answers on it, so it may be replaced.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || where.kind !== 'unix' || !(await stale(where.path)))
        throw usage(err, spec);
      await rm(where.path, { force: true });
      await bind(server, where).catch((e) => {
        throw usage(e, spec);
      });
    }
    // After listening, a failing accept (out of descriptors) is logged; the server goes on.
    server.on('error', (err) => log(`listener: ${err.message}`));
    const a = server.address();
    const address =
      typeof a === 'string' || a === null
        ? `unix:${where.kind === 'unix' ? where.path : a}`
        : `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    self = new NbdServer(server, address, opts.now ?? Date.now);
    return self;
  }

  private accept(socket: Socket, exports: readonly BlockExport[], log: (line: string) => void): void {
    this.stats.connections++;
    this.sockets.add(socket);
    socket.setNoDelay?.(true);
    const wire = new Wire(socket);
    const stats = this.stats;
    const run = async () => {
      try {
        const negotiated = await handshake(wire, exports);
        if (!negotiated) return;
        await new Session(wire, negotiated, stats, (line) => log(`request failed: ${line}`), this.now).run();
      } catch (err) {
        if (err instanceof ConnectionClosed) return;
        log(`${err instanceof ProtocolError ? 'protocol error' : 'connection failed'}: ${(err as Error).message}`);
      } finally {
        socket.end();
        socket.destroySoon?.();
        this.sockets.delete(socket);
      }
    };
    const p = run();
    this.sessions.add(p);
    void p.finally(() => this.sessions.delete(p));
  }

  /** Stops listening, ends every connection and waits for their requests to finish. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await Promise.allSettled(this.sessions);
    await closed;
  }
}

function bind(server: Server, where: ListenAddress): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if (where.kind === 'unix') server.listen(where.path, done);
    else server.listen(where.port, where.host, done);
  });
}

function usage(err: unknown, spec: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const known = code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOENT' || code === 'ENOTFOUND';
  return known ? new UsageError(`cannot listen on ${spec}: ${(err as Error).message}`) : err;
}

/** Whether a unix socket path refuses connections (its server is gone). */
function stale(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}
