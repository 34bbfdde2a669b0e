// Key objects (keys/<id>): each wraps the one master key under a key derived from one password,
// so a repository has several passwords and changing one never re-encrypts data. A repository
// starts with its single wrap in the config (the format-1 layout every version reads); it is
// listed and opened as a key like the others, with an id derived from it (legacyKeyId), until
// the first `key` change moves it into keys/.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { FormatError } from '../format/codec.js';
import { type RepoKey, decodeRepoKey, encodeRepoKey } from '../format/key-codec.js';
import { KEY_PREFIX, keyObjectKey, parseKeyObjectKey } from '../format/layout.js';
import type { KeyWrapInfo, RepoConfig } from '../format/types.js';
import { type MasterKey, deriveKey, unwrapKey } from '../crypto/master-key.js';
import { IntegrityError, WrongPasswordError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';

/** A key as `key list` shows it; `legacy` marks the wrap kept in an old repository's config. */
export interface KeyEntry {
  id: string;
  createdMs: number;
  host: string;
  wrap: KeyWrapInfo;
  legacy: boolean;
}

const KEY_OBJECT_BYTES = 4096;

/** Writes a new key object holding `wrap`; returns its id (hex). */
export async function writeKeyObject(store: ObjectStore, wrap: KeyWrapInfo, nowMs: number, id: Buffer = randomBytes(16)): Promise<string> {
  const k: RepoKey = { id, createdMs: nowMs, host: hostname(), wrap };
  await store.put(keyObjectKey(id), [encodeRepoKey(k)], { ifNotExists: true });
  return id.toString('hex');
}

/** The id under which the config's own wrap (repositories older than key objects) is listed. */
export function legacyKeyId(config: RepoConfig): string | null {
  if (!config.key || config.key.wrapped.length === 0) return null;
  return createHash('sha256').update('snaptier config key').update(config.key.wrapped).digest().subarray(0, 16).toString('hex');
}

/** Every key of the repository: the config's legacy wrap (if any) and every key object, by id. */
export async function readKeys(store: ObjectStore, config: RepoConfig): Promise<KeyEntry[]> {
  const keys = new Map<string, KeyEntry>();
  const legacy = legacyKeyId(config);
  if (legacy && config.key) keys.set(legacy, { id: legacy, createdMs: config.createdMs, host: '', wrap: config.key, legacy: true });
  for await (const o of store.list(KEY_PREFIX)) {
    const parsed = parseKeyObjectKey(o.key);
    if (!parsed) continue;
    let k: RepoKey;
    try {
      k = decodeRepoKey(await store.get(o.key), KEY_OBJECT_BYTES);
    } catch (err) {
      if (err instanceof FormatError) throw new IntegrityError(`key object ${o.key} is damaged: ${err.message}`, { cause: err });
      throw err;
    }
    if (k.id.toString('hex') !== parsed.id) throw new IntegrityError(`key object ${o.key} names another id, ${k.id.toString('hex')}`);
    keys.set(parsed.id, { id: parsed.id, createdMs: k.createdMs, host: k.host, wrap: k.wrap, legacy: false });
  }
  return [...keys.values()].sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id));
}

/** The master key `password` unwraps, and the id of the key that did; null when none opens. */
export async function openWithPassword(store: ObjectStore, config: RepoConfig, password: string): Promise<{ master: MasterKey; keyId: string } | null> {
  const derived = new Map<string, Buffer>();
  for (const k of await readKeys(store, config)) {
    const params = `${k.wrap.log2N}/${k.wrap.r}/${k.wrap.p}/${k.wrap.salt.toString('hex')}`;
    let kek = derived.get(params);
    if (!kek) {
      kek = await deriveKey(password, k.wrap);
      derived.set(params, kek);
    }
    try {
      return { master: unwrapKey(k.wrap.wrapped, kek), keyId: k.id };
    } catch (err) {
      if (!(err instanceof WrongPasswordError)) throw err;
    }
  }
  return null;
}

