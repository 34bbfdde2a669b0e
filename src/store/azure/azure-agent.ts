// The connection pool of one Azure store. The Azure SDK sets no client-side timeout at all (its
// `tryTimeoutInMs` only asks the service to give up), so a request on a connection that stops
// answering would wait for ever and hang the command: here a socket on which nothing moves is
// destroyed, which fails its request as a retriable connection error for the retry wrapper.
// Idle pooled sockets follow the server's Keep-Alive hint (Azurite: timeout=5), so they are
// dropped before the server closes them instead of being reused into an EPIPE or ECONNRESET.
import { Agent as HttpAgent, type AgentOptions, type ClientRequest, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** A connection that does not open within 10 s is down; one silent for 60 s mid-request is stuck (as s3-client.ts). */
export const AZURE_CONNECT_TIMEOUT_MS = 10_000;
export const AZURE_IDLE_TIMEOUT_MS = 60_000;
/** Above the 16 requests the concurrency wrapper allows, plus the staged blocks of a large put. */
const MAX_SOCKETS = 32;

export interface AgentTimeouts {
  connectMs: number;
  idleMs: number;
}

/** A keep-alive agent for `endpoint` (http or https) whose sockets time out as described above. */
export function createAzureAgent(
  endpoint: string,
  timeouts: AgentTimeouts = { connectMs: AZURE_CONNECT_TIMEOUT_MS, idleMs: AZURE_IDLE_TIMEOUT_MS },
): HttpAgent {
  // `timeout` makes Node apply the server's Keep-Alive hint to idle pooled sockets; without it
  // (the SDK's own agent) a pooled socket lives until the server closes it.
  const options: AgentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS, timeout: timeouts.idleMs };
  const agent: HttpAgent = new URL(endpoint).protocol === 'http:' ? new HttpAgent(options) : new HttpsAgent(options);
  /** Sockets resting in the pool between requests: the agent itself destroys them when they time out. */
  const pooled = new WeakSet<Duplex>();
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (args: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) => {
    const socket = create(args, callback) as Socket | null | undefined;
    if (socket) {
      // The agent emits 'free' on a socket whose request is done.
      socket.on('free', () => pooled.add(socket));
      watch(socket, timeouts, () => !pooled.has(socket));
    }
    return socket;
  };
  const reuse = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket: Duplex, request: ClientRequest) => {
    pooled.delete(socket);
    // A pooled socket carries the pool's shorter timeout: a request gets the full idle time.
    (socket as Socket).setTimeout(timeouts.idleMs);
    reuse(socket, request);
  };
  return agent;
}

function watch(socket: Socket, { connectMs, idleMs }: AgentTimeouts, busy: () => boolean): void {
  socket.setTimeout(connectMs);
  const connected = (): void => void socket.setTimeout(idleMs);
  socket.once('connect', connected);
  socket.once('secureConnect', connected);
  // Node only emits 'timeout'. Destroying a busy socket fails its request with ETIMEDOUT (or the
  // body being read with "aborted"): a retriable connection error (azure-errors.ts).
  socket.on('timeout', () => {
    if (!socket.connecting && !busy()) return;
    const what = socket.connecting ? `no connection within ${connectMs} ms` : `nothing sent or received for ${idleMs} ms`;
    socket.destroy(Object.assign(new Error(`Azure endpoint timed out: ${what}`), { code: 'ETIMEDOUT' }));
  });
}
