// The repositories of the configuration, opened once each (on first use) and kept open: the
// store adapter inside the usual wrappers, with its request and retry counts fed to the
// metrics. Passwords come from the repository's passwordFile, or else SNAPTIER_PASSWORD.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { Repository } from '../repo/repository.js';
import type { ObjectStore } from '../store/object-store.js';
import { openAdapter } from '../store/open.js';
import { wrapStore } from '../store/wrap/compose.js';
import type { StoreCounters } from '../store/wrap/metrics.js';
import type { RepositoryConfig } from './config.js';
import type { Metrics } from './metrics.js';

interface Open {
  url: string;
  repo: Promise<Repository>;
  store: ObjectStore | null;
  counters: StoreCounters | null;
  retries: Record<string, number>;
}

export class Repositories {
  private readonly open = new Map<string, Open>();

  constructor(
    private configs: Record<string, RepositoryConfig>,
    private readonly metrics: Metrics,
  ) {}

  /** A new configuration: repositories whose settings changed are opened again on next use. */
  update(configs: Record<string, RepositoryConfig>): void {
    for (const [name, o] of this.open) {
      if (JSON.stringify(configs[name]) !== JSON.stringify(this.configs[name])) {
        this.open.delete(name);
        this.metrics.forgetStore(name);
        void o.store?.close?.().catch(() => {});
      }
    }
    this.configs = configs;
  }

  get(name: string): Promise<Repository> {
    const cfg = this.configs[name];
    if (!cfg) return Promise.reject(new UsageError(`no repository named ${name} in the configuration`));
    let o = this.open.get(name);
    if (!o) {
      const entry: Open = { url: cfg.url, repo: Promise.resolve(null as never), store: null, counters: null, retries: {} };
      entry.repo = this.openRepo(cfg, entry);
      // A repository that could not be opened (unreachable, wrong password) is tried again next time.
      entry.repo.catch(() => {
        if (this.open.get(name) === entry) this.open.delete(name);
      });
      this.open.set(name, entry);
      o = entry;
    }
    return o.repo;
  }

  private async openRepo(cfg: RepositoryConfig, entry: Open): Promise<Repository> {
    const wrapped = wrapStore(await openAdapter(cfg.url), {
      ...(cfg.uploadLimit ? { uploadLimit: cfg.uploadLimit * 1024 } : {}),
      ...(cfg.downloadLimit ? { downloadLimit: cfg.downloadLimit * 1024 } : {}),
      retry: { onRetry: (op) => void (entry.retries[op] = (entry.retries[op] ?? 0) + 1) },
    });
    entry.store = wrapped.store;
    entry.counters = wrapped.counters;
    try {
      return await Repository.open(wrapped.store, () => password(cfg));
    } catch (err) {
      await wrapped.store.close?.().catch(() => {});
      throw err;
    }
  }

  /** Feeds every open store's counts to the metrics (called before each scrape). */
  syncMetrics(): void {
    for (const [name, o] of this.open) {
      if (!o.counters) continue;
      const sdkResends = o.counters.retries - Object.values(o.retries).reduce((a, b) => a + b, 0);
      this.metrics.syncStore(name, o.counters, { ...o.retries, ...(sdkResends > 0 ? { sdk: sdkResends } : {}) });
    }
  }

  async close(): Promise<void> {
    const stores = [...this.open.values()].map((o) => o.store);
    this.open.clear();
    for (const s of stores) await s?.close?.().catch(() => {});
  }
}

async function password(cfg: RepositoryConfig): Promise<string | null> {
  if (cfg.passwordFile) {
    try {
      return (await readFile(cfg.passwordFile, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`password file ${cfg.passwordFile} cannot be read: ${(err as Error).message}`);
    }
  }
  return process.env.SNAPTIER_PASSWORD ?? null;
}
