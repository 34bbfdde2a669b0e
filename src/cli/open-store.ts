// The composition root for stores: picks the adapter a repository URL names, builds it (SDKs
// are loaded only when their scheme is used) and stacks the wrappers around it.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { LocalStore } from '../store/local/local-store.js';
import type { ObjectStore } from '../store/object-store.js';
import { type WrappedStore, wrapStore } from '../store/wrap/compose.js';
import { int, type Values } from './args.js';

export async function openAdapter(url: string): Promise<ObjectStore> {
  if (url.startsWith('file://')) return new LocalStore(fileURLToPath(url));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3' || scheme === 'azure') {
    throw new UsageError(`${scheme}:// repositories are not available in this build yet; use a local directory`);
  }
  if (scheme) throw new UsageError(`unknown repository URL scheme ${scheme}:// (use a path, file://, s3:// or azure://)`);
  return new LocalStore(isAbsolute(url) ? url : resolve(url));
}

/** The adapter for `url` inside retry, concurrency, bandwidth and metrics wrappers. */
export async function openStore(url: string, v: Values): Promise<WrappedStore> {
  const up = int(v, 'limit-upload');
  const down = int(v, 'limit-download');
  return wrapStore(await openAdapter(url), {
    ...(up ? { uploadLimit: up * 1024 } : {}),
    ...(down ? { downloadLimit: down * 1024 } : {}),
  });
}
