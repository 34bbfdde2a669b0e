// One GET of a blob or a byte range of it, collected into one Buffer of exactly the asked length:
// a short answer to a range is InvalidRangeError, a body cut short is a retriable StoreError.
import type { BlobDownloadResponseParsed, BlockBlobClient } from '@azure/storage-blob';
import { type ByteRange, InvalidRangeError, StoreError } from '../object-store.js';
import { type ErrorContext, toStoreError } from './azure-errors.js';

/** `range`, when given, is valid and not empty (the caller checks: download(offset, 0) means "to the end"). */
export async function downloadBlob(blob: BlockBlobClient, ctx: ErrorContext, range?: ByteRange): Promise<Buffer> {
  let res: BlobDownloadResponseParsed;
  try {
    // maxRetryRequests 0: the SDK must not re-download a cut stream itself; the retry wrapper does.
    res = await blob.download(range?.offset ?? 0, range?.length, {
      maxRetryRequests: 0,
      ...(ctx.signal ? { abortSignal: ctx.signal } : {}),
    });
  } catch (err) {
    throw toStoreError(err, ctx);
  }
  const stream = res.readableStreamBody;
  const length = res.contentLength ?? 0;
  if (range && length !== range.length) {
    // Azure answers 416 when a range starts past the end, but a shorter 206 when it only ends past
    // it; Azurite answers a shorter (even empty) 206 in both cases.
    stream?.destroy?.();
    const total = /\/(\d+)$/.exec(res.contentRange ?? '')?.[1];
    throw new InvalidRangeError(
      `range ${range.offset}+${range.length} is outside object ${ctx.key}${total !== undefined ? ` of ${total} bytes` : ''}`,
    );
  }
  if (length === 0) {
    stream?.destroy?.();
    return Buffer.alloc(0);
  }
  if (!stream) throw new StoreError(`Azure: get ${ctx.key}: the response has no body`, { retriable: true });
  return collect(stream, length, ctx);
}

/** Reads exactly `length` bytes into one Buffer; a stream that fails or ends early is a cut transfer. */
async function collect(stream: NodeJS.ReadableStream, length: number, ctx: ErrorContext): Promise<Buffer> {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (done + chunk.length > length) {
        throw new StoreError(`Azure: get ${ctx.key}: the response is longer than its Content-Length (${length})`, { retriable: true });
      }
      chunk.copy(out, done);
      done += chunk.length;
    }
  } catch (err) {
    (stream as { destroy?: () => void }).destroy?.();
    throw toStoreError(err, ctx);
  }
  if (done !== length) {
    throw new StoreError(`Azure: get ${ctx.key}: the transfer ended after ${done} of ${length} bytes`, { retriable: true });
  }
  return out;
}
