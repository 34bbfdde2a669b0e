// The composition root for stores: picks the adapter a repository URL names, builds it (SDKs
// are loaded only when their scheme is used) and stacks the wrappers around it. Every store
// opened here is closed by `closeStores` when the command ends, so no SDK socket keeps the
// process alive.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, errorMessage } from '../errors.js';
import { LocalStore } from '../store/local/local-store.js';
import type { ObjectStore } from '../store/object-store.js';
import { type WrappedStore, wrapStore } from '../store/wrap/compose.js';
import { flag, int, type Values } from './args.js';
import { logger } from './log.js';
import { nearest } from './spec.js';

const opened = new Set<ObjectStore>();

export async function openAdapter(url: string): Promise<ObjectStore> {
  const local = localPath(url);
  if (local !== null) return new LocalStore(local);
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
  const near = scheme ? nearest(scheme, SCHEMES) : null;
  throw new UsageError(`unknown repository URL scheme ${scheme}://${near ? `; did you mean ${near}://?` : ''} (use a path, file://, s3:// or azure://)`);
}

const SCHEMES = ['s3', 'azure', 'file'];

/**
 * The directory a local repository URL names, or null for any other store. A near miss of a
 * store URL (`s3:/bucket`, `azure:container`, `file:/x`) is refused with the spelling meant,
 * rather than taken for a relative directory named "s3:".
 */
export function localPath(url: string): string | null {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return null;
  const miss = /^([a-z][a-z0-9+.-]*):\/?(?!\/)(.*)$/i.exec(url);
  if (miss && SCHEMES.includes(miss[1]!.toLowerCase())) {
    const scheme = miss[1]!.toLowerCase();
    const rest = miss[2]!.replace(/^\/+/, '');
    throw new UsageError(`repository URL ${url} is malformed: did you mean ${scheme}://${scheme === 'file' ? '/' : ''}${rest}?`);
  }
  return isAbsolute(url) ? url : resolve(url);
}

/** The adapter for `url` inside retry, concurrency, bandwidth and metrics wrappers. */
export async function openStore(url: string, v: Values): Promise<WrappedStore> {
  const up = int(v, 'limit-upload');
  const down = int(v, 'limit-download');
  const log = logger(flag(v, 'verbose'));
  const adapter = await openAdapter(url);
  const wrapped = wrapStore(adapter, {
    retry: {
      onRetry: (op, key, attempt, err) =>
        log.warn({ event: 'retry', store: adapter.description, op, key, attempt, error: errorMessage(err).split('\n')[0] }, `store ${op} ${key} failed, trying again`),
    },
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
