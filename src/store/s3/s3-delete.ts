// Deleting on S3: batches of DeleteObjects, and on a versioned bucket (every Object Lock bucket
// is one) every version of a key, data versions first, then the delete markers.
import {
  DeleteObjectsCommand,
  type DeleteObjectsCommandOutput,
  type DeletedObject,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  type S3Client,
  type _Error,
} from '@aws-sdk/client-s3';
import { ImmutableObjectError, StoreError } from '../object-store.js';
import { translateS3Error } from './s3-errors.js';

/** Keys per DeleteObjects request: the most S3 takes. */
export const DELETE_BATCH = 1000;

/** Where deletes go: the client, the bucket and the repository's key prefix in it. */
export interface DeleteTarget {
  client: S3Client;
  bucket: string;
  prefix: string;
}

function fullKeyOf(t: DeleteTarget, key: string): string {
  if (key === '') throw new StoreError('S3: an object key must not be empty');
  return t.prefix + key;
}

/**
 * On a versioned bucket: deletes every version of each key (data versions first, then delete
 * markers). An immutable version (Object Lock) is refused by the store: ImmutableObjectError,
 * after the rest of the batch is done; a key refused keeps its data and stays visible.
 */
export async function deleteVersions(t: DeleteTarget, keys: readonly string[]): Promise<void> {
  const targets: Array<{ key: string; versionId: string }> = [];
  const markers: Array<{ key: string; versionId: string }> = [];
  for (const key of keys) {
    const full = fullKeyOf(t, key);
    let token: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      let res: ListObjectVersionsCommandOutput;
      try {
        res = await t.client.send(new ListObjectVersionsCommand({ Bucket: t.bucket, Prefix: full, ...token }));
      } catch (err) {
        throw translateS3Error(err, { op: 'list versions', key });
      }
      for (const v of res.Versions ?? []) if (v.Key === full && v.VersionId) targets.push({ key, versionId: v.VersionId });
      for (const m of res.DeleteMarkers ?? []) if (m.Key === full && m.VersionId) markers.push({ key, versionId: m.VersionId });
      if (!res.IsTruncated) break;
      token = { ...(res.NextKeyMarker ? { KeyMarker: res.NextKeyMarker } : {}), ...(res.NextVersionIdMarker ? { VersionIdMarker: res.NextVersionIdMarker } : {}) };
    }
  }
  let refused: ImmutableObjectError | undefined;
  for (let i = 0; i < targets.length; i += DELETE_BATCH) {
    try {
      await deleteBatch(t, targets.slice(i, i + DELETE_BATCH));
    } catch (err) {
      if (!(err instanceof ImmutableObjectError)) throw err;
      refused ??= err;
    }
  }
  // Markers of a refused key go too: its locked version becomes visible again.
  for (let i = 0; i < markers.length; i += DELETE_BATCH) await deleteBatch(t, markers.slice(i, i + DELETE_BATCH));
  if (refused) throw refused;
}

/** One DeleteObjects request; NoSuchKey is success, a locked version ImmutableObjectError (naming the first). */
export async function deleteBatch(t: DeleteTarget, batch: ReadonlyArray<{ key: string; versionId?: string }>): Promise<DeletedObject[]> {
  if (batch.length === 0) return [];
  let res: DeleteObjectsCommandOutput;
  try {
    res = await t.client.send(
      new DeleteObjectsCommand({
        Bucket: t.bucket,
        // Not quiet: the answer for each key says whether it only got a delete marker.
        Delete: { Objects: batch.map((o) => ({ Key: fullKeyOf(t, o.key), ...(o.versionId ? { VersionId: o.versionId } : {}) })), Quiet: false },
      }),
    );
  } catch (err) {
    throw translateS3Error(err, { op: 'delete', key: `${batch.length} objects from ${batch[0]!.key}` });
  }
  const errors: readonly _Error[] = res.Errors ?? [];
  const failed = errors.filter((e) => e.Code !== 'NoSuchKey');
  const strip = (e: _Error) => e.Key?.slice(t.prefix.length) ?? '(unnamed)';
  // An immutable version answers AccessDenied for its key. So would a missing
  // s3:DeleteObjectVersion permission, which S3 does not tell apart; prune and forget HEAD
  // candidates first, so this is reached only by --force-locked or immutability set meanwhile.
  const denied = failed.filter((e) => e.Code === 'AccessDenied' && batch.some((o) => o.versionId !== undefined));
  if (denied.length && denied.length === failed.length) {
    throw new ImmutableObjectError(strip(denied[0]!), { cause: new Error(denied[0]!.Message ?? 'AccessDenied') });
  }
  const first = failed[0];
  if (first) {
    const cause = Object.assign(new Error(first.Message ?? first.Code ?? 'error'), { name: first.Code ?? 'Error' });
    throw translateS3Error(cause, { op: 'delete', key: strip(first) });
  }
  return res.Deleted ?? [];
}
