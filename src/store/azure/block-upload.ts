// A large body as staged blocks and one commit (Put Block List): the blob appears whole when
// the commit succeeds and not at all before, like a multipart upload. Staging is pull-based:
// `inFlight` workers take the next block from one shared iterator.
import { randomBytes } from 'node:crypto';
import type { BlobImmutabilityPolicy, BlockBlobClient, BlockBlobCommitBlockListOptions } from '@azure/storage-blob';
import { StoreError } from '../object-store.js';

export interface BlockUploadOptions {
  blockSize: number;
  inFlight: number;
  ifNotExists: boolean;
  tier?: string;
  /** Set by the commit, the request that makes the blob appear (staged blocks carry none). */
  immutabilityPolicy?: BlobImmutabilityPolicy;
  signal?: AbortSignal;
}

/** Azure's limit of committed blocks per blob. */
const MAX_BLOCKS = 50_000;

/**
 * Stages `parts` in blocks of `blockSize` and commits them. Memory beyond the caller's parts:
 * <= inFlight x blockSize (copies of blocks that straddle two parts). Throws SDK errors as they
 * are; the adapter translates them.
 */
export async function uploadBlocks(
  blob: BlockBlobClient,
  parts: readonly Uint8Array[],
  size: number,
  opts: BlockUploadOptions,
): Promise<void> {
  const count = Math.ceil(size / opts.blockSize);
  if (count > MAX_BLOCKS) {
    throw new StoreError(`Azure: ${size} bytes need ${count} blocks of ${opts.blockSize}, more than Azure's ${MAX_BLOCKS}`);
  }
  const upload = randomBytes(8).toString('hex');
  const ids = Array.from({ length: count }, (_, i) => blockId(upload, i));

  // The first failure stops the other workers and cancels their requests.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let failure: { err: unknown } | undefined;
  const blocks = sliceBlocks(parts, opts.blockSize);
  const worker = async (): Promise<void> => {
    for (let next = blocks.next(); !next.done && !failure; next = blocks.next()) {
      const [index, block] = next.value;
      try {
        await blob.stageBlock(ids[index]!, block, block.byteLength, { abortSignal: signal });
      } catch (err) {
        failure ??= { err };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.inFlight, count) }, worker));
  if (failure) throw failure.err;

  const commit: BlockBlobCommitBlockListOptions = {
    ...(opts.ifNotExists ? { conditions: { ifNoneMatch: '*' } } : {}),
    ...(opts.tier ? { tier: opts.tier } : {}),
    ...(opts.immutabilityPolicy ? { immutabilityPolicy: opts.immutabilityPolicy } : {}),
    ...(opts.signal ? { abortSignal: opts.signal } : {}),
  };
  await blob.commitBlockList(ids, commit);
}

/**
 * Ids unique to one upload (16 hex digits), so concurrent writers of a key never stage over each
 * other's blocks, and all of one length: Azure (and Azurite) refuse a block whose id differs in
 * length from the blob's other uncommitted ones (400 InvalidBlobOrBlock).
 */
export function blockId(upload: string, index: number): string {
  return Buffer.from(`${upload}-${String(index).padStart(6, '0')}`).toString('base64');
}

/** Yields [index, block]: views where a block lies inside one part, copies where it straddles parts. */
export function* sliceBlocks(parts: readonly Uint8Array[], blockSize: number): Generator<[number, Uint8Array]> {
  let index = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for (const part of parts) {
    let at = 0;
    while (at < part.byteLength) {
      const take = Math.min(blockSize - pendingBytes, part.byteLength - at);
      pending.push(part.subarray(at, at + take));
      pendingBytes += take;
      at += take;
      if (pendingBytes === blockSize) {
        yield [index++, joined(pending, pendingBytes)];
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield [index, joined(pending, pendingBytes)];
}

function joined(pieces: Uint8Array[], bytes: number): Uint8Array {
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, bytes);
}
