// Encoding and defensive decoding of every persisted message. Decoders check sizes before
// parsing, reject 64-bit values beyond Number.MAX_SAFE_INTEGER, wrong id lengths and newer
// format versions, and throw FormatError for anything else that is not what we wrote.
import { createHash } from 'node:crypto';
import { snaptier as pb } from './gen/snaptier.js';
import {
  FORMAT_VERSION,
  type BlobRef,
  type Manifest,
  type MapInterior,
  type MapLeaf,
  type NodeRef,
  type PackTrailer,
  type PackKind,
  type RepoConfig,
  type ImmutabilityPolicy,
} from './types.js';

export class FormatError extends Error {}

export class NewerFormatError extends FormatError {}

export type Long = { low: number; high: number; unsigned: boolean };

/** What a field is called in errors; a function is called only when there is an error. */
export type Label = string | (() => string);

function named(what: Label, suffix: string): string {
  return (typeof what === 'string' ? what : what()) + suffix;
}

// `what` and `suffix` are joined only for an error: decoding a map leaf checks thousands of
// fields, and building their names first was most of a fragmented restore's decode time.
export function num(v: number | Long | null | undefined, what: Label, suffix = ''): number {
  if (v == null) return 0;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new FormatError(`${named(what, suffix)} is not a safe integer`);
    return v;
  }
  const high = v.unsigned ? v.high >>> 0 : v.high;
  const n = high * 0x1_0000_0000 + (v.low >>> 0);
  if (!Number.isSafeInteger(n)) throw new FormatError(`${named(what, suffix)} exceeds 2^53`);
  return n;
}

export function bytes(v: Uint8Array | null | undefined, len: number | null, what: Label, suffix = ''): Buffer {
  // protobufjs already hands out Buffer views on Node: wrapping them again cost a restore of a
  // fragmented map (6,400 extents) ~20 ms of its main thread.
  const b = !v ? Buffer.alloc(0) : Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (len !== null && b.length !== len) throw new FormatError(`${named(what, suffix)} has ${b.length} bytes, expected ${len}`);
  return b;
}

export function version(v: number | null | undefined, what: string): void {
  const n = v ?? 0;
  if (n > FORMAT_VERSION) {
    throw new NewerFormatError(`${what} has format version ${n}; this snaptier reads up to ${FORMAT_VERSION}`);
  }
  if (n < 1) throw new FormatError(`${what} has no format version`);
}

export function parse<T>(what: string, limit: number, buf: Uint8Array, decode: (b: Uint8Array) => T): T {
  if (buf.length > limit) throw new FormatError(`${what} of ${buf.length} bytes exceeds the limit of ${limit}`);
  try {
    return decode(buf);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(`${what} is malformed: ${(err as Error).message}`);
  }
}

// ---- blob and node references

function blobRefIn(b: BlobRef): pb.IBlobRef {
  return { pack: b.pack, offset: b.offset, length: b.length, id: b.id, rawLength: b.rawLength };
}

function blobRefOut(m: pb.IBlobRef | null | undefined, what: Label): BlobRef {
  if (!m) throw new FormatError(`${named(what, '')} has no blob reference`);
  const length = num(m.length, what, ' length');
  if (length <= 0) throw new FormatError(`${named(what, '')} has length 0`);
  return {
    pack: bytes(m.pack, 16, what, ' pack'),
    offset: num(m.offset as number | Long, what, ' offset'),
    length,
    id: bytes(m.id, 16, what, ' id'),
    rawLength: num(m.rawLength, what, ' raw length'),
  };
}

export function nodeRefIn(r: NodeRef): pb.INodeRef {
  return { blob: blobRefIn(r.blob), digest: r.digest };
}

export function nodeRefOut(m: pb.INodeRef | null | undefined, what: string): NodeRef {
  if (!m) throw new FormatError(`${what} is missing`);
  return { blob: blobRefOut(m.blob, what), digest: bytes(m.digest, 32, `${what} digest`) };
}

// ---- map nodes

export function encodeLeaf(leaf: MapLeaf): Uint8Array {
  return pb.MapLeaf.encode({
    version: FORMAT_VERSION,
    extents: leaf.extents.map((e) => ({
      start: e.start,
      length: e.length,
      chunk: blobRefIn(e.chunk),
      chunkOffset: e.chunkOffset,
    })),
    fingerprints: leaf.fingerprints,
  }).finish();
}

export function decodeLeaf(buf: Uint8Array, limit: number): MapLeaf {
  const m = parse('map leaf', limit, buf, (b) => pb.MapLeaf.decode(b));
  version(m.version, 'map leaf');
  const extents = m.extents.map((e, i) => {
    const x = {
      start: num(e.start, 'extent start'),
      length: num(e.length, 'extent length'),
      chunk: blobRefOut(e.chunk, () => `extent ${i}`),
      chunkOffset: num(e.chunkOffset, 'extent chunk offset'),
    };
    if (x.length <= 0 || x.chunkOffset + x.length > x.chunk.rawLength) throw new FormatError(`extent ${i} is out of its chunk`);
    return x;
  });
  for (let i = 1; i < extents.length; i++) {
    const a = extents[i - 1]!;
    if (a.start + a.length > extents[i]!.start) throw new FormatError('map leaf extents overlap or are unsorted');
  }
  return { extents, fingerprints: bytes(m.fingerprints, null, 'fingerprints') };
}

export function encodeInterior(node: MapInterior): Uint8Array {
  return pb.MapInterior.encode({
    version: FORMAT_VERSION,
    level: node.level,
    children: node.children.map((c) => ({ index: c.index, ref: nodeRefIn(c.ref) })),
  }).finish();
}

export function decodeInterior(buf: Uint8Array, limit: number, fanout: number): MapInterior {
  const m = parse('map node', limit, buf, (b) => pb.MapInterior.decode(b));
  version(m.version, 'map node');
  const children = m.children.map((c, i) => ({ index: num(c.index, 'child index'), ref: nodeRefOut(c.ref, `child ${i}`) }));
  for (let i = 0; i < children.length; i++) {
    const idx = children[i]!.index;
    if (idx >= fanout || (i > 0 && idx <= children[i - 1]!.index)) throw new FormatError('map node children are out of order');
  }
  return { level: num(m.level, 'level'), children };
}

// ---- manifest

export function encodeManifest(s: Manifest): Uint8Array {
  return pb.Manifest.encode({
    version: FORMAT_VERSION,
    id: s.id,
    volume: s.volume,
    parent: s.parent ?? Buffer.alloc(0),
    timeMs: s.timeMs,
    size: s.size,
    labels: s.labels,
    root: s.root ? nodeRefIn(s.root) : null,
    rootLevel: s.rootLevel,
    imageDigest: s.imageDigest,
    packs: s.packs,
    stats: s.stats,
    sourceId: s.sourceId,
  }).finish();
}

export function decodeManifest(buf: Uint8Array, limit: number): Manifest {
  const m = parse('manifest', limit, buf, (b) => pb.Manifest.decode(b));
  version(m.version, 'manifest');
  const parent = bytes(m.parent, null, 'parent');
  if (parent.length !== 0 && parent.length !== 16) throw new FormatError('manifest parent id is malformed');
  const st = m.stats ?? {};
  return {
    id: bytes(m.id, 16, 'snapshot id'),
    volume: m.volume ?? '',
    parent: parent.length ? parent : null,
    timeMs: num(m.timeMs as number | Long, 'time'),
    size: num(m.size as number | Long, 'size'),
    labels: { ...(m.labels ?? {}) },
    root: m.root ? nodeRefOut(m.root, 'root') : null,
    rootLevel: num(m.rootLevel, 'root level'),
    imageDigest: bytes(m.imageDigest, 32, 'image digest'),
    packs: (m.packs ?? []).map((p) => bytes(p, 16, 'pack id')),
    sourceId: m.sourceId ?? '',
    stats: {
      bytesRead: num(st.bytesRead as number | Long, 'stats'),
      bytesChanged: num(st.bytesChanged as number | Long, 'stats'),
      bytesUploaded: num(st.bytesUploaded as number | Long, 'stats'),
      objectsUploaded: num(st.objectsUploaded, 'stats'),
      mode: st.mode ?? '',
    },
  };
}

// ---- pack trailer

export function encodeTrailer(t: PackTrailer): Uint8Array {
  return pb.PackTrailer.encode({ version: FORMAT_VERSION, pack: t.pack, kind: t.kind as number as pb.PackKind, entries: t.entries }).finish();
}

export function decodeTrailer(buf: Uint8Array, limit: number): PackTrailer {
  const m = parse('pack trailer', limit, buf, (b) => pb.PackTrailer.decode(b));
  version(m.version, 'pack trailer');
  return {
    pack: bytes(m.pack, 16, 'pack id'),
    kind: (m.kind ?? 0) as number as PackKind,
    entries: m.entries.map((e) => ({
      id: bytes(e.id, 16, 'entry id'),
      offset: num(e.offset as number | Long, 'entry offset'),
      length: num(e.length, 'entry length'),
      rawLength: num(e.rawLength, 'entry raw length'),
    })),
  };
}

// ---- repository config

// "SNAPTIER" | RepoConfig | SHA-256(magic | RepoConfig)[0..16): the config is stored in the
// clear, and nothing else would notice damage to fields no later read depends on (the id, the salt).
const CONFIG_MAGIC = Buffer.from('SNAPTIER', 'ascii');
const CONFIG_SUM = 16;

function configSum(head: Uint8Array): Buffer {
  return createHash('sha256').update(head).digest().subarray(0, CONFIG_SUM);
}

export function encodeConfig(c: RepoConfig): Buffer {
  const body = pb.RepoConfig.encode({
    version: c.version,
    repoId: c.repoId,
    key: c.key,
    compression: c.compression,
    blockSize: c.blockSize,
    fingerprintSize: c.fingerprintSize,
    segmentSize: c.segmentSize,
    fanout: c.fanout,
    packSize: c.packSize,
    maxChunkSize: c.maxChunkSize,
    dataTier: c.dataTier,
    createdMs: c.createdMs,
    ...(c.immutability ? { lock: { mode: c.immutability.mode, seconds: c.immutability.seconds, untilMs: c.immutability.untilMs } } : {}),
  }).finish();
  const head = Buffer.concat([CONFIG_MAGIC, body]);
  return Buffer.concat([head, configSum(head)]);
}

/** The proto's RetentionLock message holds the repository's immutability policy (the name is on the store). */
function decodeImmutability(l: pb.RetentionLock.$Properties): ImmutabilityPolicy {
  if (l.mode !== 'compliance' && l.mode !== 'governance') throw new FormatError(`unknown immutability mode ${l.mode}`);
  return { mode: l.mode, seconds: num(l.seconds as number | Long | null | undefined, 'immutability seconds'), untilMs: num(l.untilMs as number | Long | null | undefined, 'immutability until') };
}

export function decodeConfig(buf: Uint8Array, limit: number): RepoConfig {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < CONFIG_MAGIC.length || !b.subarray(0, CONFIG_MAGIC.length).equals(CONFIG_MAGIC)) {
    throw new FormatError('not a snaptier repository config');
  }
  if (b.length < CONFIG_MAGIC.length + CONFIG_SUM || !configSum(b.subarray(0, b.length - CONFIG_SUM)).equals(b.subarray(b.length - CONFIG_SUM))) {
    throw new FormatError('checksum mismatch');
  }
  const m = parse('repository config', limit, b.subarray(CONFIG_MAGIC.length, b.length - CONFIG_SUM), (x) => pb.RepoConfig.decode(x));
  version(m.version, 'repository config');
  const c: RepoConfig = {
    version: m.version ?? 0,
    repoId: bytes(m.repoId, 16, 'repository id'),
    key: m.key
      ? {
          kdf: 'scrypt',
          log2N: num(m.key.log2N, 'kdf'),
          r: num(m.key.r, 'kdf'),
          p: num(m.key.p, 'kdf'),
          salt: bytes(m.key.salt, null, 'salt'),
          wrapped: bytes(m.key.wrapped, null, 'wrapped key'),
        }
      : null,
    compression: m.compression ?? 0,
    blockSize: num(m.blockSize, 'block size'),
    fingerprintSize: num(m.fingerprintSize, 'fingerprint size'),
    segmentSize: num(m.segmentSize, 'segment size'),
    fanout: num(m.fanout, 'fanout'),
    packSize: num(m.packSize, 'pack size'),
    maxChunkSize: num(m.maxChunkSize, 'max chunk size'),
    dataTier: m.dataTier ?? '',
    createdMs: num(m.createdMs as number | Long, 'created'),
    immutability: m.lock ? decodeImmutability(m.lock) : null,
  };
  if (c.key && c.key.kdf !== (m.key?.kdf ?? '')) throw new FormatError(`unknown key derivation ${m.key?.kdf}`);
  const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
  const ok =
    c.blockSize === 4096 &&
    pow2(c.fingerprintSize) && c.fingerprintSize >= c.blockSize &&
    pow2(c.segmentSize) && c.segmentSize >= c.fingerprintSize && c.segmentSize <= 64 << 20 &&
    c.fanout >= 2 && c.fanout <= 4096 &&
    c.packSize >= 1 << 20 && c.packSize <= 1 << 30 &&
    c.maxChunkSize >= c.blockSize && c.maxChunkSize <= c.segmentSize &&
    c.compression >= 0 && c.compression <= 2;
  if (!ok) throw new FormatError('repository config has parameters out of range');
  return c;
}
