// A local cache of snapshot manifests (kopia's and restic's metadata caches), so that backup,
// `restore latest` and `snapshots` cost a listing, not a GET per snapshot, on a warm machine.
// Manifests are immutable (written create-once, only ever deleted), so an entry never goes
// stale; the listing stays the truth of which snapshots exist. Entries hold the stored bytes as
// they are, still sealed: every read from the cache is verified against the repository's key
// and the snapshot's id exactly as a read from the store, so a damaged or planted file is a
// miss, never a manifest. Layout: <dir>/<repository id>/snapshots/<volume key>/<id>.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Repository } from './repository.js';

export class ManifestCache {
  constructor(readonly dir: string) {}

  /**
   * The cache the environment asks for: SNAPTIER_CACHE=off disables it; SNAPTIER_CACHE_DIR,
   * else $XDG_CACHE_HOME/snaptier, else ~/.cache/snaptier.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): ManifestCache | null {
    if (/^(off|0|false|no)$/i.test(env.SNAPTIER_CACHE ?? '')) return null;
    if (env.SNAPTIER_CACHE_DIR) return new ManifestCache(env.SNAPTIER_CACHE_DIR);
    const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return new ManifestCache(join(base, 'snaptier'));
  }

  private path(repo: Repository, key: string): string {
    return join(this.dir, repo.config.repoId.toString('hex'), ...key.split('/'));
  }

  /** The stored bytes of `key`, or null when not cached (or unreadable: the cache is an optimisation). */
  async get(repo: Repository, key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(repo, key));
    } catch {
      return null;
    }
  }

  /** Keeps the stored bytes of `key`; a failure to write only costs a GET next time. */
  async put(repo: Repository, key: string, raw: Buffer): Promise<void> {
    const path = this.path(repo, key);
    try {
      await mkdir(dirname(path), { recursive: true });
      // Written aside and renamed: a reader (another process) sees all of an entry or none.
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, raw);
      await rename(tmp, path);
    } catch {
      // A read-only or full cache directory is not a reason to fail a backup.
    }
  }

  async drop(repo: Repository, key: string): Promise<void> {
    await rm(this.path(repo, key), { force: true }).catch(() => {});
  }

  /** Removes entries of `prefix` (a volume's snapshot prefix) whose key is not in `present`. */
  async retain(repo: Repository, prefix: string, present: ReadonlySet<string>): Promise<void> {
    const dir = this.path(repo, prefix.replace(/\/$/, ''));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const key = `${prefix.endsWith('/') ? prefix : `${prefix}/`}${name}`;
      if (!present.has(key) && !name.endsWith('.tmp')) await rm(join(dir, name), { force: true }).catch(() => {});
    }
  }
}

const chosen = new WeakMap<Repository, ManifestCache | null>();

/** Sets the cache of one open repository (null: none), instead of the one from the environment. */
export function useManifestCache(repo: Repository, cache: ManifestCache | null): void {
  chosen.set(repo, cache);
}

export function manifestCacheOf(repo: Repository): ManifestCache | null {
  if (!chosen.has(repo)) chosen.set(repo, ManifestCache.fromEnv());
  return chosen.get(repo) ?? null;
}
