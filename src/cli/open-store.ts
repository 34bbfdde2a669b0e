// The CLI's stores: the adapter a repository URL names (src/store/open.ts) inside the
// wrappers the command's flags ask for. Every store
// opened here is closed by `closeStores` when the command ends, so no SDK socket keeps the
// process alive.
import type { ObjectStore } from '../store/object-store.js';
import { openAdapter } from '../store/open.js';
import { type WrappedStore, wrapStore } from '../store/wrap/compose.js';
import { killSwitchFromEnv } from '../store/wrap/kill-switch.js';
import { int, type Values } from './args.js';

export { openAdapter };

const opened = new Set<ObjectStore>();

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
