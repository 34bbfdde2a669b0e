// Blob versions on delete. In a container that keeps versions (every container with
// version-level immutability does: it needs blob versioning on the account), Delete Blob only
// turns the current version into a previous one, which stays readable by its version id and
// billed until it is deleted by that id. This finds and deletes the previous versions of a blob.
import type { ContainerClient } from '@azure/storage-blob';
import { ImmutableObjectError } from '../object-store.js';
import { toStoreError } from './azure-errors.js';

/**
 * Deletes every previous version of the blob `name` (`key` is its name in errors), one request
 * each after one listing. A current version (written again meanwhile) stays: Azure refuses to
 * delete a current version by its id (403 OperationNotAllowedOnRootBlob). A version still under
 * its immutability policy is refused: ImmutableObjectError, after the others are deleted.
 * Returns whether the listing showed versions at all, i.e. whether the container keeps them
 * (Azurite, and accounts without versioning, list blobs without a version id).
 */
export async function deletePreviousVersions(container: ContainerClient, name: string, key: string): Promise<boolean> {
  const previous: string[] = [];
  let versioned = false;
  try {
    for await (const item of container.listBlobsFlat({ prefix: name, includeVersions: true })) {
      if (item.name !== name || !item.versionId) continue;
      versioned = true;
      if (item.isCurrentVersion !== true) previous.push(item.versionId);
    }
  } catch (err) {
    throw toStoreError(err, { op: 'delete', key });
  }
  let refused: ImmutableObjectError | undefined;
  for (const id of previous) {
    try {
      await container.getBlobClient(name).withVersion(id).deleteIfExists();
    } catch (err) {
      const translated = toStoreError(err, { op: 'delete', key });
      if (!(translated instanceof ImmutableObjectError)) throw translated;
      refused ??= translated;
    }
  }
  if (refused) throw refused;
  return versioned;
}
