// Builds the one S3Client an S3Store uses: credentials from the standard AWS chain, region from
// the URL or the chain (else us-east-1), checksums only when an operation requires them, a
// keep-alive connection pool, and at most one SDK-level retry (our retry wrapper does the rest).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Location } from './s3-url.js';

export interface S3ClientOptions {
  /** Overrides the AWS credential chain (tests, programs that embed snaptier). */
  credentials?: S3ClientConfig['credentials'];
  /**
   * Attempts per request inside the SDK. 2 by default: one immediate resend covers the
   * keep-alive race where a pooled socket is closed by the server as a request starts ("socket
   * hang up", seen on s3rver); anything longer is the retry wrapper's job, with backoff and budget.
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
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new S3Client({
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
