// Encoding and defensive decoding of snapshot holds and prune records.
import { snaptier as pb } from './gen/snaptier.js';
import { FormatError, type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION } from './types.js';

export interface Hold {
  id: Buffer; // 16 bytes
  volume: string;
  snapshot: Buffer; // 16 bytes
  untilMs: number;
  reason: string;
  createdMs: number;
}

export interface PrunePack {
  pack: Buffer; // 16 bytes
  sinceMs: number;
  released: boolean;
}

export interface PruneRecord {
  id: Buffer; // 16 bytes
  createdMs: number;
  packs: PrunePack[];
}

export function encodeHold(h: Hold): Uint8Array {
  return pb.Hold.encode({ version: FORMAT_VERSION, id: h.id, volume: h.volume, snapshot: h.snapshot, untilMs: h.untilMs, reason: h.reason, createdMs: h.createdMs }).finish();
}

export function decodeHold(buf: Uint8Array, limit: number): Hold {
  const m = parse('hold', limit, buf, (b) => pb.Hold.decode(b));
  version(m.version, 'hold');
  const untilMs = num(m.untilMs as number | Long, 'hold until');
  if (untilMs < 0) throw new FormatError('hold until is negative');
  return {
    id: bytes(m.id, 16, 'hold id'),
    volume: m.volume ?? '',
    snapshot: bytes(m.snapshot, 16, 'held snapshot id'),
    untilMs,
    reason: m.reason ?? '',
    createdMs: num(m.createdMs as number | Long, 'hold created'),
  };
}

export function encodePruneRecord(r: PruneRecord): Uint8Array {
  return pb.PruneRecord.encode({
    version: FORMAT_VERSION,
    id: r.id,
    createdMs: r.createdMs,
    packs: r.packs.map((p) => ({ pack: p.pack, sinceMs: p.sinceMs, released: p.released })),
  }).finish();
}

export function decodePruneRecord(buf: Uint8Array, limit: number): PruneRecord {
  const m = parse('prune record', limit, buf, (b) => pb.PruneRecord.decode(b));
  version(m.version, 'prune record');
  return {
    id: bytes(m.id, 16, 'prune record id'),
    createdMs: num(m.createdMs as number | Long, 'prune record time'),
    packs: (m.packs ?? []).map((p) => ({
      pack: bytes(p.pack, 16, 'pack id'),
      sinceMs: num(p.sinceMs as number | Long, 'pack since'),
      released: p.released === true,
    })),
  };
}
