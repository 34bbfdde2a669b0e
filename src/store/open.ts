// The composition root for stores, shared by the CLI and the daemon: picks the adapter a
// repository URL names and builds it (SDKs are loaded only when their scheme is used).
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { nearest } from '../nearest.js';
import { LocalStore } from './local/local-store.js';
import type { ObjectStore } from './object-store.js';

export async function openAdapter(url: string): Promise<ObjectStore> {
  const local = localPath(url);
  if (local !== null) return new LocalStore(local);
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
