// The repository master key: 64 random bytes, 32 for AES-256-GCM and 32 for keyed names.
// It is stored only wrapped by a key derived from the password (scrypt), so changing the
// password never re-encrypts data.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { IntegrityError, WrongPasswordError } from '../errors.js';

export interface MasterKey {
  /** AES-256-GCM key for every sealed blob. */
  readonly aead: Buffer;
  /** HMAC-SHA256 key for object names derived from user names (volumes). */
  readonly names: Buffer;
}

export interface KdfParams {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
}

export function newMasterKey(): MasterKey {
  const raw = randomBytes(64);
  return { aead: raw.subarray(0, 32), names: raw.subarray(32, 64) };
}

export function newKdfParams(cost: { log2N: number; r: number; p: number }): KdfParams {
  return { ...cost, salt: randomBytes(32) };
}

export async function deriveKey(password: string, params: KdfParams): Promise<Buffer> {
  if (params.log2N < 10 || params.log2N > 22 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    throw new IntegrityError('the repository config is damaged: its key parameters are out of range');
  }
  const N = 2 ** params.log2N;
  const maxmem = 256 * N * params.r + (1 << 20);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), params.salt, 32, { N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function wrapKey(master: MasterKey, kek: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(Buffer.from('snaptier master key'));
  const body = Buffer.concat([cipher.update(Buffer.concat([master.aead, master.names])), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function unwrapKey(wrapped: Uint8Array, kek: Buffer): MasterKey {
  if (wrapped.length !== 12 + 64 + 16) throw new WrongPasswordError('the repository key is malformed');
  const w = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', kek, w.subarray(0, 12));
  decipher.setAAD(Buffer.from('snaptier master key'));
  decipher.setAuthTag(w.subarray(12 + 64));
  try {
    const raw = Buffer.concat([decipher.update(w.subarray(12, 12 + 64)), decipher.final()]);
    return { aead: raw.subarray(0, 32), names: raw.subarray(32, 64) };
  } catch {
    throw new WrongPasswordError('wrong password: it does not open this repository key');
  }
}
