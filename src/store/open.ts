// The composition root for stores, shared by the CLI and the daemon: picks the adapter a
// repository URL names and builds it (SDKs are loaded only when their scheme is used).
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { LocalStore } from './local/local-store.js';
import type { ObjectStore } from './object-store.js';

export async function openAdapter(url: string): Promise<ObjectStore> {
  if (url.startsWith('file://')) return new LocalStore(fileURLToPath(url));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    // The SDK warns on every start under Node 20, which it will stop supporting; our own
    // support matrix is in the README, and one line per command is noise in scripts.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { S3Store } = await import('./s3/s3-store.js');
    return new S3Store(url);
  }
  if (scheme === 'azure') {
    const { AzureStore } = await import('./azure/azure-store.js');
    return new AzureStore(url);
  }
  if (scheme) throw new UsageError(`unknown repository URL scheme ${scheme}:// (use a path, file://, s3:// or azure://)`);
  return new LocalStore(isAbsolute(url) ? url : resolve(url));
}
