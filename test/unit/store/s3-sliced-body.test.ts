// A large S3 request body reaches the socket as a stream of 1 MiB views (so TLS encrypts it as
// the socket drains, not all at once), whole on every attempt, under the signature of the body.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sendBodiesInSlices } from '../../../src/store/s3/s3-client.js';
import { Rng } from '../../helpers/random.js';

interface Seen {
  kind: string;
  chunks: number[];
  bytes: Buffer;
  sha256Header: string | undefined;
}

async function drain(body: unknown): Promise<Omit<Seen, 'sha256Header'>> {
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    return { kind: 'stream', chunks: chunks.map((c) => c.length), bytes: Buffer.concat(chunks) };
  }
  const b = Buffer.from(body as Uint8Array);
  return { kind: 'buffer', chunks: [b.length], bytes: b };
}

/** A client whose "network" records every attempt's body and fails the first attempt with a 500. */
function client(): { s3: S3Client; seen: Seen[] } {
  const seen: Seen[] = [];
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    maxAttempts: 2,
    requestHandler: {
      handle: async (req: { body?: unknown; headers: Record<string, string> }) => {
        seen.push({ ...(await drain(req.body)), sha256Header: req.headers['x-amz-content-sha256'] });
        const statusCode = seen.length === 1 ? 500 : 200;
        return { response: { statusCode, headers: { etag: '"e"' }, body: Readable.from([]) } };
      },
    },
  });
  sendBodiesInSlices(s3);
  return { s3, seen };
}

describe('S3 request bodies in slices', () => {
  it('sends a large body as 1 MiB views, whole on each attempt, signed over all its bytes', async () => {
    const body = new Rng(5).bytes(3 * (1 << 20) + 5);
    const { s3, seen } = client();
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: body, ContentLength: body.length }));
    expect(seen.length, 'one failed attempt and its resend').toBe(2);
    const want = createHash('sha256').update(body).digest('hex');
    for (const s of seen) {
      expect(s.kind).toBe('stream');
      expect(s.chunks.every((n) => n <= 1 << 20)).toBe(true);
      expect(s.bytes.equals(body)).toBe(true);
      expect(s.sha256Header).toBe(want);
    }
  });

  it('leaves a small body as it is', async () => {
    const body = new Rng(6).bytes(4096);
    const { s3, seen } = client();
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: body }));
    expect(seen.map((s) => s.kind)).toEqual(['buffer', 'buffer']);
    expect(seen[1]!.bytes.equals(body)).toBe(true);
  });
});
