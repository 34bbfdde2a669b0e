// The composition root for stores: picks and builds the adapter a repository URL names.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { LocalStore } from '../store/local/local-store.js';

export function openStore(url: string): ObjectStore {
  if (url.startsWith('file://')) return new LocalStore(fileURLToPath(url));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3' || scheme === 'azure') {
    throw new UsageError(`${scheme}:// repositories are not available in this build yet; use a local directory`);
  }
  if (scheme) throw new UsageError(`unknown repository URL scheme ${scheme}:// (use a path, file://, s3:// or azure://)`);
  return new LocalStore(isAbsolute(url) ? url : resolve(url));
}
