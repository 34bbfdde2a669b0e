// The catalog of snapshots: manifests under snapshots/<volume key>/<id>, each sealed and
// bound to its id. A manifest's presence is the commit of its snapshot.
import { LIMITS } from '../defaults.js';
import { asIntegrity } from '../format/integrity.js';
import { IntegrityError, NotFoundInputError, UsageError } from '../errors.js';
import { encodeManifest } from '../format/codec.js';
import { Codec } from '../format/compress.js';
import { SNAPSHOT_PREFIX, parseSnapshotKey, snapshotKey } from '../format/layout.js';
import { BlobKind } from '../format/seal.js';
import type { Manifest } from '../format/types.js';
import type { Repository } from './repository.js';
import { MAGICS } from '../format/sealed-object.js';
import { manifestCacheOf } from './manifest-cache.js';
import { openManifest, readManifests } from './manifest-read.js';

const MAGIC = MAGICS.snapshot;

export interface SnapshotEntry {
  key: string;
  manifest: Manifest;
}

/**
 * Label of a snapshot copied by an earlier version of `copy`, which gave copies ids of their own:
 * the id of the original. Such a copy is known by that id everywhere (listings, --snapshot, holds).
 * Copies made now keep the original's id outright and carry no such label.
 */
export const COPY_LABEL = 'snaptier.copy-of';

/** A snapshot's id: the same in every repository it was copied to. */
export function snapshotId(m: Manifest): string {
  const legacy = m.labels[COPY_LABEL];
  return legacy && /^[0-9a-f]{32}$/.test(legacy) ? legacy : m.id.toString('hex');
}

/** Labels as the user gave them (without the legacy copy bookkeeping). */
export function userLabels(m: Manifest): Record<string, string> {
  const { [COPY_LABEL]: _copyOf, ...rest } = m.labels;
  return rest;
}

export function shortId(m: Manifest): string {
  return snapshotId(m).slice(0, 8);
}

export function describe(m: Manifest): string {
  return `snapshot ${shortId(m)} of volume ${m.volume}`;
}

/** Stores a manifest create-once; returns the bytes written. */
export async function commitManifest(repo: Repository, m: Manifest): Promise<number> {
  const plain = encodeManifest(m);
  const sealed = repo.sealer.seal(BlobKind.Manifest, m.id, plain, Codec.Zstd);
  const head = Buffer.allocUnsafe(MAGIC.length + 4);
  MAGIC.copy(head);
  head.writeUInt32LE(plain.length, MAGIC.length);
  const parts = [head, ...sealed];
  const key = snapshotKey(repo.volumeKey(m.volume), m.id);
  await repo.store.put(key, parts, { ifNotExists: true });
  // The next backup of the volume finds its parent here without a GET.
  await manifestCacheOf(repo)?.put(repo, key, Buffer.concat(parts));
  return parts.reduce((n, p) => n + p.length, 0);
}

/** Reads a manifest from the store itself, not the cache (check and prune's mark prove the store). */
export async function readManifest(repo: Repository, key: string): Promise<Manifest> {
  if (!parseSnapshotKey(key)) throw new IntegrityError(`object ${key} is not a snapshot manifest`);
  let raw: Buffer;
  try {
    raw = await repo.store.get(key);
  } catch (err) {
    throw asIntegrity(err, `snapshot manifest ${key}`);
  }
  return openManifest(repo, key, raw);
}

/**
 * Every snapshot (of one volume, if given), oldest first. Manifests come from the local cache
 * when it holds them (manifest-cache.ts), else from the store a few at once. One that cannot be
 * read is left out and given to `onDamaged` (check reports it), so that it does not stop new
 * backups of its volume; `strict` throws instead, as `latest` needs every time.
 */
export async function listSnapshots(repo: Repository, volume?: string, opts: ListOptions = {}): Promise<SnapshotEntry[]> {
  return entriesOf(repo, volume, await snapshotKeys(repo, volume), opts);
}

interface ListOptions {
  strict?: boolean;
  onDamaged?: (key: string, err: unknown) => void;
}

/** listSnapshots over keys already listed (one LIST per command, not one per question). */
async function entriesOf(repo: Repository, volume: string | undefined, keys: string[], opts: ListOptions): Promise<SnapshotEntry[]> {
  const out = await readManifests(repo, keys, opts.strict ? {} : { onDamaged: opts.onDamaged ?? (() => {}) });
  out.sort((a, b) => a.manifest.timeMs - b.manifest.timeMs || Buffer.compare(a.manifest.id, b.manifest.id));
  if (volume !== undefined) await manifestCacheOf(repo)?.retain(repo, `${SNAPSHOT_PREFIX}${repo.volumeKey(volume)}/`, new Set(keys));
  return out;
}

async function snapshotKeys(repo: Repository, volume?: string): Promise<string[]> {
  const prefix = volume === undefined ? SNAPSHOT_PREFIX : `${SNAPSHOT_PREFIX}${repo.volumeKey(volume)}/`;
  const keys: string[] = [];
  for await (const o of repo.store.list(prefix)) if (parseSnapshotKey(o.key)) keys.push(o.key);
  return keys;
}

/**
 * Finds a snapshot of `volume` by id, unique id prefix, or `latest`. Ids are resolved from the
 * object keys, so only the chosen manifest is read: a damaged manifest of another snapshot
 * does not keep this one from being restored. `latest` needs every manifest (their times).
 */
export async function resolveSnapshot(repo: Repository, volume: string, ref: string): Promise<SnapshotEntry> {
  const keys = await snapshotKeys(repo, volume);
  if (keys.length === 0) throw new NotFoundInputError(`volume ${volume} has no snapshots in this repository`);
  if (ref === 'latest') {
    const all = await entriesOf(repo, volume, keys, { strict: true });
    return all[all.length - 1]!;
  }
  const want = ref.toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(want)) throw new UsageError(`snapshot id ${ref} is not a hex id, a prefix of one, or latest`);
  const hits = keys.filter((k) => parseSnapshotKey(k)!.id.startsWith(want));
  if (hits.length > 1) throw new UsageError(`snapshot id prefix ${ref} is ambiguous in volume ${volume}: give more digits`);
  if (hits.length === 1) return { key: hits[0]!, manifest: await readManifest(repo, hits[0]!) };
  // Copies made by earlier versions are stored under ids of their own and known by their label.
  const legacy = (await entriesOf(repo, volume, keys, {})).filter((e) => e.manifest.labels[COPY_LABEL] !== undefined && snapshotId(e.manifest).startsWith(want));
  if (legacy.length > 1) throw new UsageError(`snapshot id prefix ${ref} is ambiguous in volume ${volume}: give more digits`);
  if (legacy.length === 0) throw new NotFoundInputError(`volume ${volume} has no snapshot ${ref}`);
  return legacy[0]!;
}

/**
 * The snapshot a change hint is relative to (`--base`): an id, a unique id prefix, `latest`, or
 * the source id (`--source-id`) recorded by an earlier backup of the volume (the newest such).
 */
export async function resolveBase(repo: Repository, volume: string, ref: string): Promise<SnapshotEntry> {
  // Strict: a hint is relative to its base, and a damaged manifest might be the one it names.
  const all = await listSnapshots(repo, volume, { strict: true });
  if (all.length === 0) throw new NotFoundInputError(`--base ${ref}: volume ${volume} has no snapshots in this repository`);
  const bySource = all.filter((e) => e.manifest.sourceId !== '' && e.manifest.sourceId === ref);
  if (bySource.length > 0) return bySource[bySource.length - 1]!;
  if (ref === 'latest') return all[all.length - 1]!;
  const want = ref.toLowerCase();
  const hits = /^[0-9a-f]{1,32}$/.test(want) ? all.filter((e) => snapshotId(e.manifest).startsWith(want)) : [];
  if (hits.length > 1) throw new UsageError(`--base ${ref} is ambiguous in volume ${volume}: give more digits`);
  if (hits.length === 0) {
    throw new NotFoundInputError(`--base ${ref}: volume ${volume} has no snapshot with that id or source id; nothing was written`);
  }
  return hits[0]!;
}

/** Volume names travel inside manifests only; they must be usable as labels in any tool. */
export function checkVolumeName(name: string): string {
  if (name.length === 0) throw new UsageError('volume name is empty');
  if (Buffer.byteLength(name) > LIMITS.volumeNameBytes) {
    throw new UsageError(`volume name ${JSON.stringify(`${name.slice(0, 40)}...`)} is longer than ${LIMITS.volumeNameBytes} bytes`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._@:+-]*$/.test(name) || name.includes('..')) {
    throw new UsageError(`volume name ${JSON.stringify(name)} may hold only letters, digits and . _ @ : + - (no path separators, no ..)`);
  }
  return name;
}
