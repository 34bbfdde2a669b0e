// Builds the one S3Client an S3Store uses: credentials from the standard AWS chain, region from
// the URL or the chain (else us-east-1), checksums only when an operation requires them, a
// keep-alive connection pool, and at most one SDK-level retry (our retry wrapper does the rest),
// which the store reports as a retry all the same (`onResend`).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Location } from './s3-url.js';

export interface S3ClientOptions {
  /** Overrides the AWS credential chain (tests, programs that embed snaptier). */
  credentials?: S3ClientConfig['credentials'];
  /**
   * Attempts per request inside the SDK. 2 by default: one quick resend covers the keep-alive
   * race where a pooled socket is closed by the server as a request starts ("socket hang up",
   * seen on s3rver) and s3rver's 500 on concurrent deletes of a folder's last keys; anything
   * longer is the retry wrapper's job, with backoff and budget. The SDK's resends would be
   * invisible above the adapter (a 10% share of injected 503s showed as 2 retries out of 16
   * faults), so `countResends` reports each one.
   */
  maxAttempts?: number;
}

/** Connections per store: above the 16 requests the concurrency wrapper allows, plus multipart parts. */
const MAX_SOCKETS = 32;
/** A connection that does not open within 10 s is down; one silent for 60 s is stuck. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_REGION = 'us-east-1';

export function createS3Client(loc: S3Location, opts: S3ClientOptions = {}): S3Client {
  // `timeout` makes Node close an idle pooled socket a second before the server's Keep-Alive hint
  // (s3rver, Azurite: timeout=5) instead of reusing it as the server closes it; without it, Node
  // ignores the hint. Busy sockets are timed by socketTimeout below.
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS, timeout: SOCKET_IDLE_TIMEOUT_MS };
  const client = new S3Client({
    region: loc.region ?? regionFromChain(),
    ...(loc.endpoint !== undefined ? { endpoint: loc.endpoint } : {}),
    forcePathStyle: loc.forcePathStyle,
    // Without this, the SDK sends stream bodies as aws-chunked with a trailing CRC32, which
    // s3rver stores framing and all and Ceph 16 refuses with 411 (research/servers.md).
    requestChecksumCalculation: loc.checksums,
    responseChecksumValidation: loc.checksums,
    // With no region configured we sign for us-east-1; AWS then redirects to the bucket's region.
    followRegionRedirects: true,
    maxAttempts: opts.maxAttempts ?? 2,
    requestHandler: {
      httpAgent: new HttpAgent(agent),
      httpsAgent: new HttpsAgent(agent),
      connectionTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: SOCKET_IDLE_TIMEOUT_MS,
    },
    ...(opts.credentials !== undefined ? { credentials: opts.credentials } : {}),
  });
  sendBodiesInSlices(client);
  return client;
}

/** Bodies larger than this go to the socket as a stream of views of this size (see below). */
const BODY_SLICE = 1 << 20;

/**
 * Hands a large body to the socket one MiB at a time instead of in one write. Node's TLS socket
 * encrypts everything it is given at once, so a 16 MiB pack written whole became 16 MiB more of
 * ciphertext in memory until the network took it (per upload in flight: s3rver over TLS peaked at
 * 341 MiB against 239 MiB over http); a stream of views is encrypted as the socket drains. The
 * slices are views (no copy), made afresh for each attempt (this runs after the SDK's retry and
 * signing, which saw and hashed the body as one buffer, so the signature is unchanged).
 */
export function sendBodiesInSlices(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown } | undefined;
      const body = request?.body;
      if (body instanceof Uint8Array && body.byteLength > BODY_SLICE) request!.body = Readable.from(slices(body), { objectMode: false });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'snaptierSlicedBody' },
  );
}

function* slices(body: Uint8Array): Generator<Buffer> {
  for (let at = 0; at < body.byteLength; at += BODY_SLICE) {
    yield Buffer.from(body.buffer, body.byteOffset + at, Math.min(BODY_SLICE, body.byteLength - at));
  }
}

/**
 * Calls `listener` for every request the SDK sends again after a failed attempt. It sits inside
 * the SDK's retry middleware (same step, lower priority), so it sees each attempt and the
 * attempt number that middleware puts in the amz-sdk-request header ("attempt=2; max=2").
 */
export function countResends(client: S3Client, listener: () => void): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const header = (args.request as { headers?: Record<string, string> } | undefined)?.headers?.['amz-sdk-request'];
      const attempt = Number(/attempt=(\d+)/.exec(header ?? '')?.[1] ?? 1);
      if (attempt > 1) listener();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'snaptierResendCounter' },
  );
}

/**
 * A provider of the region the AWS chain configures (AWS_REGION, AWS_DEFAULT_REGION, the
 * profile), else us-east-1; resolved once per client, when its first request is signed.
 */
function regionFromChain(): () => Promise<string> {
  let region: Promise<string> | undefined;
  return () => {
    region ??= (async () => {
      // A client with no region resolves it through the SDK's own chain and fails when none is set.
      const probe = new S3Client({});
      try {
        return await probe.config.region();
      } catch {
        return DEFAULT_REGION;
      } finally {
        probe.destroy();
      }
    })();
    return region;
  };
}
