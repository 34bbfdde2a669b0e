// Paging through a listing: ListObjectsV2 on its continuation token, or ListObjects (v1) on
// Marker (the last key seen) for stores whose v2 paging is broken (s3rver on Node >= 17). Yields
// one page of S3 entries at a time; SDK errors pass through for the adapter to translate.
import { ListObjectsCommand, ListObjectsV2Command, type S3Client, type _Object } from '@aws-sdk/client-s3';
import { StoreError } from '../object-store.js';

export interface ListRequest {
  client: S3Client;
  bucket: string;
  /** The full key prefix (repository prefix included); '' for the whole bucket. */
  prefix: string;
  listV1: boolean;
  signal?: AbortSignal;
}

export async function* listPages(req: ListRequest): AsyncGenerator<readonly _Object[]> {
  const { client, bucket, prefix, signal } = req;
  const opts = signal ? { abortSignal: signal } : {};
  const Prefix = prefix ? { Prefix: prefix } : {};
  let after: string | undefined;
  for (;;) {
    let contents: readonly _Object[];
    let truncated: boolean;
    let next: string | undefined;
    if (req.listV1) {
      const res = await client.send(new ListObjectsCommand({ Bucket: bucket, ...Prefix, ...(after ? { Marker: after } : {}) }), opts);
      contents = res.Contents ?? [];
      truncated = res.IsTruncated === true;
      // NextMarker comes only with a delimiter; without one the last key is the marker.
      next = res.NextMarker ?? contents.at(-1)?.Key;
    } else {
      const res = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, ...Prefix, ...(after ? { ContinuationToken: after } : {}) }),
        opts,
      );
      contents = res.Contents ?? [];
      truncated = res.IsTruncated === true;
      next = res.NextContinuationToken;
    }
    yield contents;
    if (!truncated) return;
    // A store that says "more" but gives no new place to continue would loop forever.
    if (!next || next === after)
      throw new StoreError(`S3 list of ${bucket}/${prefix}: the store says the listing goes on but gives no way to continue`);
    after = next;
  }
}
