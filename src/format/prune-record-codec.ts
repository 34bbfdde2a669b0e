// Encoding and defensive decoding of prune records (prune/<id>, see src/repo/prune-records.ts):
// what prune remembers between runs about unreferenced packs.
import { snaptier as pb } from './gen/snaptier.js';
import { type Long, bytes, num, parse, version } from './codec.js';
import { FORMAT_VERSION } from './types.js';

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
