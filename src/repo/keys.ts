// Passwords of an encrypted repository: list, add, remove, change. Each key object wraps the same
// master key, so none of this touches data. The last key is never removed; the one in use may
// be, when another remains (the rotation runbook removes the old key with the old password). A repository made before key objects is migrated on the
// first change: its config wrap is copied into a key object, then the config is rewritten
// without it, so that removing that key really retires its password.
import { SCRYPT } from '../defaults.js';
import { deriveKey, newKdfParams } from '../crypto/master-key.js';
import { newKeyLog2N } from '../crypto/kdf-cost.js';
import { ConflictError, NotFoundInputError, UsageError } from '../errors.js';
import { encodeConfig } from '../format/codec.js';
import { CONFIG_KEY, keyObjectKey } from '../format/layout.js';
import { type KeyEntry, legacyKeyId, readKeys, writeKeyObject } from './key-objects.js';
import type { Repository } from './repository.js';
import { ObjectExistsError } from '../store/object-store.js';

export interface KeyInfo {
  id: string;
  created: string;
  host: string;
  current: boolean;
}

export interface NewKeyOptions {
  /** Lower scrypt cost, for tests only (through the library, never the command line). */
  kdfLog2N?: number;
  nowMs?: number;
}

function encrypted(repo: Repository): void {
  if (!repo.encrypted) throw new UsageError(`${repo.store.description} is not encrypted: it has no keys`);
}

export async function listKeys(repo: Repository): Promise<KeyInfo[]> {
  encrypted(repo);
  return (await readKeys(repo.store, repo.config)).map((k) => ({
    id: k.id,
    created: new Date(k.createdMs).toISOString(),
    host: k.host,
    current: k.id === repo.keyId,
  }));
}

/** Adds a key for `password`; returns its id. */
export async function addKey(repo: Repository, password: string, opts: NewKeyOptions = {}): Promise<string> {
  encrypted(repo);
  if (password === '') throw new UsageError('the new password is empty');
  await migrateLegacy(repo);
  const params = newKdfParams({ ...SCRYPT, log2N: opts.kdfLog2N ?? newKeyLog2N() });
  const kek = await deriveKey(password, params);
  const wrap = { kdf: 'scrypt' as const, log2N: params.log2N, r: params.r, p: params.p, salt: params.salt, wrapped: repo.wrapMasterKey(kek) };
  return writeKeyObject(repo.store, wrap, opts.nowMs ?? Date.now());
}

/** Removes the key `idOrPrefix` names; never the last one. */
export async function removeKey(repo: Repository, idOrPrefix: string): Promise<KeyEntry> {
  encrypted(repo);
  const keys = await readKeys(repo.store, repo.config);
  const matches = keys.filter((k) => k.id.startsWith(idOrPrefix.toLowerCase()));
  if (idOrPrefix === '' || matches.length === 0) throw new NotFoundInputError(`no key ${idOrPrefix} in ${repo.store.description}`);
  if (matches.length > 1) throw new UsageError(`key prefix ${idOrPrefix} is ambiguous: ${matches.map((k) => k.id.slice(0, 8)).join(', ')}`);
  const key = matches[0]!;
  if (keys.length === 1) throw new UsageError(`key ${key.id.slice(0, 8)} is the last key of ${repo.store.description} and cannot be removed`);
  await migrateLegacy(repo);
  await repo.store.delete(keyObjectKey(Buffer.from(key.id, 'hex')));
  return key;
}

/** Replaces the key in use by one for `password`: the new key first, then the old one goes. */
export async function changePassword(repo: Repository, password: string, opts: NewKeyOptions = {}): Promise<{ added: string; removed: string }> {
  encrypted(repo);
  const current = repo.keyId;
  if (!current) throw new UsageError('no key is in use');
  const added = await addKey(repo, password, opts);
  await repo.store.delete(keyObjectKey(Buffer.from(current, 'hex')));
  return { added, removed: current };
}

/**
 * Copies the config's own wrap into a key object under the same id, then rewrites the config
 * with an empty wrap. Both steps are single atomic puts; a crash between them leaves the key
 * listed once (by id) and opening as before. An immutable config cannot be rewritten:
 * its key stays in the config for good (exit 4).
 */
async function migrateLegacy(repo: Repository): Promise<void> {
  const id = legacyKeyId(repo.config);
  if (!id || !repo.config.key) return;
  if (repo.config.immutability) {
    throw new ConflictError(`${repo.store.description} keeps its first key in an immutable config, which cannot be rewritten: keys cannot be changed there`);
  }
  try {
    await writeKeyObject(repo.store, repo.config.key, repo.config.createdMs, Buffer.from(id, 'hex'));
  } catch (err) {
    if (!(err instanceof ObjectExistsError)) throw err;
  }
  // The in-memory config keeps its wrap: readKeys lists the copy under the same id, once.
  await repo.store.put(CONFIG_KEY, [encodeConfig({ ...repo.config, key: { ...repo.config.key, wrapped: Buffer.alloc(0) } })]);
}
