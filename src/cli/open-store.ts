// The composition root for stores: picks the adapter a repository URL names, builds it (SDKs
// are loaded only when their scheme is used) and stacks the wrappers around it. Every store
// opened here is closed by `closeStores` when the command ends, so no SDK socket keeps the
// process alive.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { LocalStore } from '../store/local/local-store.js';
import type { ObjectStore } from '../store/object-store.js';
import { type WrappedStore, wrapStore } from '../store/wrap/compose.js';
import { killSwitchFromEnv } from '../store/wrap/kill-switch.js';
import { int, type Values } from './args.js';

const opened = new Set<ObjectStore>();

export async function openAdapter(url: string): Promise<ObjectStore> {
  if (url.startsWith('file://')) return new LocalStore(fileURLToPath(url));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    // The SDK warns on every start under Node 20, which it will stop supporting; our own
    // support matrix is in the README, and one line per command is noise in scripts.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { S3Store } = await import('../store/s3/s3-store.js');
    return new S3Store(url);
  }
  if (scheme === 'azure') {
    const { AzureStore } = await import('../store/azure/azure-store.js');
    return new AzureStore(url);
  }
  if (scheme) throw new UsageError(`unknown repository URL scheme ${scheme}:// (use a path, file://, s3:// or azure://)`);
  return new LocalStore(isAbsolute(url) ? url : resolve(url));
}

/** The adapter for `url` inside retry, concurrency, bandwidth and metrics wrappers. */
export async function openStore(url: string, v: Values): Promise<WrappedStore> {
  const up = int(v, 'limit-upload');
  const down = int(v, 'limit-download');
  // Crash tests' kill points (SNAPTIER_FAULT_*), innermost: they count the adapter's requests.
  const wrapped = wrapStore(killSwitchFromEnv(await openAdapter(url)), {
    ...(up ? { uploadLimit: up * 1024 } : {}),
    ...(down ? { downloadLimit: down * 1024 } : {}),
  });
  opened.add(wrapped.store);
  return wrapped;
}

/** Closes every store the command opened; a failure to close is not the command's failure. */
export async function closeStores(): Promise<void> {
  const stores = [...opened];
  opened.clear();
  await Promise.allSettled(stores.map((s) => s.close?.()));
}
