// Encoding and defensive decoding of key objects (keys/<id>, see src/repo/keys.ts).
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION, type KeyWrapInfo } from './types.js';

export interface RepoKey {
  id: Buffer; // 16 bytes, as in the object's key
  createdMs: number;
  host: string;
  wrap: KeyWrapInfo;
}

const HOST_BYTES = 256;

export function encodeRepoKey(k: RepoKey): Uint8Array {
  return pb.RepoKey.encode({ version: FORMAT_VERSION, id: k.id, createdMs: k.createdMs, host: k.host, key: k.wrap }).finish();
}

export function decodeRepoKey(buf: Uint8Array, limit: number): RepoKey {
  const m = parse('key', limit, buf, (b) => pb.RepoKey.decode(b));
  version(m.version, 'key');
  if (!m.key) throw new FormatError('key object without a key wrap');
  if (m.key.kdf !== 'scrypt') throw new FormatError(`unknown key derivation ${m.key.kdf}`);
  const host = m.host ?? '';
  if (Buffer.byteLength(host) > HOST_BYTES) throw new FormatError(`key host is longer than ${HOST_BYTES} bytes`);
  return {
    id: bytes(m.id, 16, 'key id'),
    createdMs: num(m.createdMs as number | Long, 'key created'),
    host,
    wrap: {
      kdf: 'scrypt',
      log2N: num(m.key.log2N, 'kdf'),
      r: num(m.key.r, 'kdf'),
      p: num(m.key.p, 'kdf'),
      salt: bytes(m.key.salt, null, 'salt'),
      wrapped: bytes(m.key.wrapped, 12 + 64 + 16, 'wrapped key'),
    },
  };
}
