// Reads a GetObject response body into one Buffer and proves it is the bytes asked for: the
// range the store says it sent must start where we asked and be as long as we asked (S3 silently
// shortens a range that runs past the end), and the body must be as long as its Content-Length
// (a connection cut mid-body is a retriable failure, never a short result).
import type { Readable } from 'node:stream';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { type ByteRange, InvalidRangeError, StoreError } from '../object-store.js';

export async function readBody(
  res: GetObjectCommandOutput,
  key: string,
  range: ByteRange | undefined,
  signal?: AbortSignal,
  into?: Buffer,
): Promise<Buffer> {
  const body = res.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
  const onAbort = (): void => void body?.destroy(new Error('aborted by the caller'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const announced = res.ContentLength;
    // What to keep of the body: all of it, or a slice when the store ignored the Range header.
    let keep = { from: 0, length: announced };
    if (range) {
      const sent = parseContentRange(res.ContentRange);
      if (sent) {
        if (sent.start !== range.offset) {
          throw new StoreError(`S3 get ${key}: asked for bytes from ${range.offset}, the store sent them from ${sent.start}`);
        }
        // The total says the range runs past the end (s3rver even announces bytes 0-0/0 of an empty object).
        const end = range.offset + range.length;
        if (sent.end - sent.start + 1 < range.length || (sent.total !== undefined && end > sent.total)) {
          throw new InvalidRangeError(`range ${range.offset}+${range.length} is outside object ${key} of ${sent.total ?? 'unknown'} bytes`);
        }
        // More than asked (s3rver answers bytes=0-0 with the whole object): keep the head of it.
        keep = { from: 0, length: range.length };
      } else {
        // A 200 with the whole object: the store does not do ranges (or the object is empty).
        const size = announced ?? 0;
        if (range.offset + range.length > size) {
          throw new InvalidRangeError(`range ${range.offset}+${range.length} is outside object ${key} of ${size} bytes`);
        }
        keep = { from: range.offset, length: range.length };
      }
    }
    // Read into the caller's memory when the body is exactly what is kept.
    const target = into && keep.from === 0 && announced === into.length && (keep.length === undefined || keep.length === announced) ? into : undefined;
    const all = await collect(body, announced, key, target);
    if (keep.from === 0 && (keep.length === undefined || keep.length === all.length)) return all;
    return all.subarray(keep.from, keep.from + (keep.length ?? all.length));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A body not read to its end would hold its pooled socket: let it go.
    if (body && !body.readableEnded) body.destroy();
  }
}

async function collect(body: AsyncIterable<Uint8Array> | undefined, announced: number | undefined, key: string, into?: Buffer): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if (announced === undefined) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  // Content-Length known: fill one buffer, no second copy.
  const out = into ?? Buffer.allocUnsafe(announced);
  let filled = 0;
  for await (const chunk of body) {
    if (filled + chunk.byteLength > announced) {
      throw new StoreError(`S3 get ${key}: the store sent more than the ${announced} bytes it announced`, { retriable: true });
    }
    out.set(chunk, filled);
    filled += chunk.byteLength;
  }
  if (filled !== announced) {
    throw new StoreError(`S3 get ${key}: the body ended after ${filled} of ${announced} bytes`, { retriable: true });
  }
  return out;
}

/** `bytes START-END/TOTAL` (TOTAL may be `*`). */
function parseContentRange(header: string | undefined): { start: number; end: number; total?: number } | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!m) return undefined;
  const total = m[3] === '*' ? undefined : Number(m[3]);
  return { start: Number(m[1]), end: Number(m[2]), ...(total !== undefined ? { total } : {}) };
}
