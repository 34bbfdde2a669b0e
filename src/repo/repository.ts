// Opening and creating a repository: the config object, the password, the master key.
import { createHmac, randomBytes } from 'node:crypto';
import { FANOUT, FINGERPRINT_SIZE, LIMITS, MAX_CHUNK_SIZE, PACK_SIZE, SCRYPT, SEGMENT_SIZE, BLOCK_SIZE } from '../defaults.js';
import type { RepoContext } from '../engine/index.js';
import type { ForwardTable } from '../format/forward-table.js';
import { type Geometry, geometryOf } from '../format/geometry.js';
import { asIntegrity } from '../format/integrity.js';
import { type Forwarding, readForwarding } from './forward-records.js';
import { ConflictError, UsageError, WrongPasswordError } from '../errors.js';
import { decodeConfig, encodeConfig } from '../format/codec.js';
import { Codec } from '../format/compress.js';
import { CHECKPOINT_PREFIX, CONFIG_KEY, HOLD_PREFIX, LEASE_PREFIX, PRUNE_PREFIX } from '../format/layout.js';
import { makeSealer, type Sealer } from '../format/seal.js';
import { FORMAT_VERSION, type RepoConfig, type ImmutabilityPolicy } from '../format/types.js';
import { deriveKey, newKdfParams, newMasterKey, wrapKey } from '../crypto/master-key.js';
import { legacyKeyId, openWithPassword } from './key-objects.js';
import { newKeyLog2N } from '../crypto/kdf-cost.js';
import { ObjectExistsError, ObjectNotFoundError, type ObjectStore, ImmutabilityUnsupportedError } from '../store/object-store.js';
import { ImmutabilityStore } from '../store/wrap/immutability.js';

export interface InitOptions {
  password: string | null;
  compression: Codec;
  packSize?: number;
  dataTier?: string;
  /** Write every object immutable on the store (the store must have the capability). */
  immutability?: ImmutabilityPolicy;
  /** Lower scrypt cost, for tests only. */
  kdfLog2N?: number;
  /** Map geometry other than the defaults (tests use small segments and fanout for deep trees). */
  geometry?: { segmentSize?: number; fanout?: number; fingerprintSize?: number };
}

export class Repository implements RepoContext {
  readonly geometry: Geometry;

  private constructor(
    readonly store: ObjectStore,
    readonly config: RepoConfig,
    readonly sealer: Sealer,
    private readonly namesKey: Buffer,
    readonly aeadKey: Buffer | null,
    /** The key object (or legacy config wrap) that opened the repository; null without encryption. */
    readonly keyId: string | null = null,
  ) {
    this.geometry = geometryOf(config);
  }

  get encrypted(): boolean {
    return this.config.key !== null;
  }

  private forwardRecords: Promise<Forwarding> | null = null;

  forwarding(): Promise<ForwardTable> {
    return this.forwardingRecords().then((f) => f.table);
  }

  /** The forwarding records, read once per process (prune adds its moves to the same table). */
  forwardingRecords(): Promise<Forwarding> {
    this.forwardRecords ??= readForwarding(this);
    return this.forwardRecords;
  }

  /** The master key wrapped by `kek`, for a new key object (src/repo/keys.ts). */
  wrapMasterKey(kek: Buffer): Buffer {
    if (!this.aeadKey) throw new UsageError('this repository is not encrypted: it has no keys');
    return wrapKey({ aead: this.aeadKey, names: this.namesKey }, kek);
  }

  volumeKey(volume: string): string {
    return createHmac('sha256', this.namesKey).update(volume, 'utf8').digest().subarray(0, 16).toString('hex');
  }

  static async init(plainStore: ObjectStore, opts: InitOptions): Promise<Repository> {
    if (opts.immutability && !plainStore.capabilities.immutability) {
      throw new UsageError(`${plainStore.description} cannot make objects immutable: --lock-days/--lock-until need a store that can (S3 with Object Lock, Azure with version-level immutability)`);
    }
    try {
      await plainStore.ensureContainer(opts.immutability ? { immutability: true } : undefined);
    } catch (err) {
      if (err instanceof ImmutabilityUnsupportedError) throw new UsageError(err.message, { cause: err });
      throw err;
    }
    const store = withImmutability(plainStore, opts.immutability ?? null);
    const exists = await store.head(CONFIG_KEY).then(() => true, (err) => {
      if (err instanceof ObjectNotFoundError) return false;
      throw err;
    });
    if (exists) throw new ConflictError(`${store.description} already holds a snaptier repository`);
    let key: RepoConfig['key'] = null;
    let aead: Buffer | null = null;
    let names: Buffer = Buffer.alloc(32);
    let keyId: string | null = null;
    if (opts.password !== null) {
      const master = newMasterKey();
      const params = newKdfParams({ ...SCRYPT, log2N: opts.kdfLog2N ?? newKeyLog2N() });
      const kek = await deriveKey(opts.password, params);
      // The first key stays in the config, as in every format-1 repository, so that any
      // version reads it; the first `key` change moves it to keys/ (src/repo/keys.ts).
      key = { kdf: 'scrypt' as const, log2N: params.log2N, r: params.r, p: params.p, salt: params.salt, wrapped: wrapKey(master, kek) };
      aead = master.aead;
      names = master.names;
    }
    const config: RepoConfig = {
      version: FORMAT_VERSION,
      repoId: randomBytes(16),
      key,
      compression: opts.compression,
      blockSize: BLOCK_SIZE,
      fingerprintSize: opts.geometry?.fingerprintSize ?? FINGERPRINT_SIZE,
      segmentSize: opts.geometry?.segmentSize ?? SEGMENT_SIZE,
      fanout: opts.geometry?.fanout ?? FANOUT,
      packSize: opts.packSize ?? PACK_SIZE,
      maxChunkSize: Math.min(MAX_CHUNK_SIZE, opts.geometry?.segmentSize ?? SEGMENT_SIZE),
      dataTier: opts.dataTier ?? '',
      createdMs: Date.now(),
      immutability: opts.immutability ?? null,
    };
    try {
      await store.put(CONFIG_KEY, [encodeConfig(config)], { ifNotExists: true });
    } catch (err) {
      if (err instanceof ObjectExistsError) throw new ConflictError(`${store.description} already holds a snaptier repository`);
      throw err;
    }
    if (key) keyId = legacyKeyId(config);
    return new Repository(store, config, makeSealer(aead, config.compression as Codec), names, aead, keyId);
  }

  static async open(plainStore: ObjectStore, password: () => Promise<string | null>): Promise<Repository> {
    const { store, config } = await readConfig(plainStore);
    if (!config.key) return new Repository(store, config, makeSealer(null, config.compression as Codec), Buffer.alloc(32), null);
    const pw = await password();
    if (pw === null) throw new UsageError('this repository is encrypted: give its password (SNAPTIER_PASSWORD, SNAPTIER_PASSWORD_FILE, --password-file or --password-command)');
    const opened = await openWithPassword(store, config, pw);
    if (!opened) throw new WrongPasswordError(`wrong password for the repository at ${store.description}: it opens none of its keys`);
    const { master, keyId } = opened;
    return new Repository(store, config, makeSealer(master.aead, config.compression as Codec), master.names, master.aead, keyId);
  }
}

/** The config, and the store wrapped so that every write carries the repository's immutability. */
async function readConfig(plainStore: ObjectStore): Promise<{ store: ObjectStore; config: RepoConfig }> {
  let raw: Buffer;
  try {
    raw = await plainStore.get(CONFIG_KEY);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new UsageError(`${plainStore.description} is not a snaptier repository (no config): run init first`);
    throw err;
  }
  let config: RepoConfig;
  try {
    config = decodeConfig(raw, LIMITS.configBytes);
  } catch (err) {
    throw asIntegrity(err, `repository config in ${plainStore.description}`);
  }
  return { store: withImmutability(plainStore, config.immutability), config };
}

/**
 * Prune's records, holds, leases and backup checkpoints stay mutable: they are
 * bookkeeping that prune, `hold --release`, every lease holder and every backup must be able to
 * delete, and making them immutable protects no data.
 */
function withImmutability(store: ObjectStore, policy: ImmutabilityPolicy | null): ObjectStore {
  if (!policy) return store;
  return new ImmutabilityStore(store, policy, { exempt: (key) => key.startsWith(PRUNE_PREFIX) || key.startsWith(HOLD_PREFIX) || key.startsWith(LEASE_PREFIX) || key.startsWith(CHECKPOINT_PREFIX) });
}

export function codecFromName(name: string): Codec {
  switch (name) {
    case 'zstd':
      return Codec.Zstd;
    case 'lz4':
      return Codec.Lz4;
    case 'none':
      return Codec.None;
    default:
      throw new UsageError(`unknown compression ${name}: use zstd, lz4 or none`);
  }
}

