// Repacking, prune's second half: a pack that is mostly garbage is rewritten. Its live blobs
// are copied, still sealed, into new packs (each is opened first, so damage stops the repack
// instead of spreading), and a forwarding record says where each went; readers resolve old
// references through it (see engine/forward-table.ts), so no manifest or map node changes.
// The old pack is then ordinary garbage and goes by prune's usual rules (grace period).
import type { ForwardTable } from '../format/forward-table.js';
import { asIntegrity } from '../format/integrity.js';
import { IntegrityError } from '../errors.js';
import type { ForwardMove } from '../format/forward-codec.js';
import { packKey } from '../format/layout.js';
import { PackBuilder, readTrailer } from '../format/pack.js';
import { BlobKind } from '../format/seal.js';
import { PackKind, type PackTrailer } from '../format/types.js';
import { REPACK_READS } from '../defaults.js';
import type { LiveBlobs } from './live-blobs.js';
import type { Repository } from './repository.js';

export interface RepackCandidate {
  key: string;
  pack: Buffer;
  kind: PackKind;
  size: number;
  liveBytes: number;
}

export interface RepackResult {
  moves: ForwardMove[];
  packsWritten: number;
  bytesWritten: number;
  blobsMoved: number;
}

/** Referenced packs whose live share is below `below` (0..1), data and tree alike. */
export function repackCandidates(
  referenced: Iterable<{ key: string; pack: Buffer; kind: PackKind; size: number }>,
  live: LiveBlobs,
  below: number,
): RepackCandidate[] {
  const out: RepackCandidate[] = [];
  for (const p of referenced) {
    const liveBytes = live.liveBytes(p.pack.toString('hex'));
    if (liveBytes < p.size * below) out.push({ ...p, liveBytes });
  }
  return out;
}

export async function repack(repo: Repository, candidates: readonly RepackCandidate[], live: LiveBlobs, onPack?: (done: number) => void): Promise<RepackResult> {
  const result: RepackResult = { moves: [], packsWritten: 0, bytesWritten: 0, blobsMoved: 0 };
  for (const kind of [PackKind.Data, PackKind.Tree]) {
    const writer = new PackWriter(repo, kind, result);
    const todo = candidates.filter((c) => c.kind === kind);
    // A few packs are fetched ahead while one is copied.
    const fetches: Promise<Buffer>[] = [];
    const fetch = (i: number) => {
      if (i >= todo.length) return;
      const f = repo.store.get(todo[i]!.key).catch((err) => Promise.reject(asIntegrity(err, `pack ${todo[i]!.key}`)));
      f.catch(() => {}); // awaited in order below
      fetches.push(f);
    };
    for (let i = 0; i < REPACK_READS; i++) fetch(i);
    for (let i = 0; i < todo.length; i++) {
      const c = todo[i]!;
      const bytes = await fetches[i]!;
      delete fetches[i];
      fetch(i + REPACK_READS);
      await copyLive(repo, c, bytes, live, writer);
      onPack?.(i + 1);
    }
    await writer.flush();
  }
  return result;
}

async function copyLive(repo: Repository, c: RepackCandidate, bytes: Buffer, live: LiveBlobs, writer: PackWriter): Promise<void> {
  const what = `pack ${c.key}`;
  let trailer: PackTrailer;
  try {
    trailer = readTrailer(bytes, c.pack, repo.sealer);
  } catch (err) {
    throw asIntegrity(err, what);
  }
  const byOffset = new Map(trailer.entries.map((e) => [e.offset, e]));
  const blobKind = c.kind === PackKind.Data ? BlobKind.Data : BlobKind.Node;
  for (const b of live.blobs(c.pack.toString('hex'))) {
    const e = byOffset.get(b.offset);
    if (!e || e.length !== b.length) throw new IntegrityError(`${what} has no blob at offset ${b.offset} (length ${b.length}) that a snapshot names (run check)`);
    // A copy, so the whole old pack is not kept alive by the new pack's parts.
    const sealed = Buffer.from(bytes.subarray(e.offset, e.offset + e.length));
    try {
      repo.sealer.open(blobKind, e.id, sealed, e.rawLength);
    } catch (err) {
      throw asIntegrity(err, `blob ${e.id.toString('hex').slice(0, 16)} in ${what}`);
    }
    await writer.add(c.pack, e.offset, e.id, sealed, e.rawLength);
  }
}

/** New packs of one kind, uploaded as they fill; records each move. */
class PackWriter {
  private pack: PackBuilder | null = null;
  private pending = new Map<string, ForwardMove>(); // from pack hex -> move into the current pack

  constructor(
    private readonly repo: Repository,
    private readonly kind: PackKind,
    private readonly result: RepackResult,
  ) {}

  async add(from: Buffer, fromOffset: number, id: Buffer, sealed: Buffer, rawLength: number): Promise<void> {
    this.pack ??= new PackBuilder(this.kind, this.repo.sealer);
    const ref = this.pack.addSealed(id, [sealed], rawLength);
    const hex = from.toString('hex');
    let move = this.pending.get(hex);
    if (!move) this.pending.set(hex, (move = { from, to: this.pack.id, fromOffsets: [], toOffsets: [] }));
    move.fromOffsets.push(fromOffset);
    move.toOffsets.push(ref.offset);
    this.result.blobsMoved++;
    if (this.pack.bytes >= this.repo.geometry.packSize) await this.flush();
  }

  /** Uploads the current pack; its moves count only once it is durable. */
  async flush(): Promise<void> {
    const pack = this.pack;
    if (!pack) return;
    this.pack = null;
    const parts = pack.finish();
    const tier = this.kind === PackKind.Data ? this.repo.config.dataTier : '';
    await this.repo.store.put(packKey(this.kind, pack.id), parts, tier ? { tier } : {});
    this.result.packsWritten++;
    this.result.bytesWritten += parts.reduce((n, p) => n + p.length, 0);
    for (const m of this.pending.values()) this.result.moves.push(m);
    this.pending = new Map();
  }
}

/**
 * The moves readers still need, chains collapsed: those of packs a snapshot still names
 * through a record (`table.hits`), or whose old pack is still in the store (a reader that
 * loaded the records before may be about to read it), with this run's moves added.
 */
export function compactMoves(table: ForwardTable, keep: (packHex: string) => boolean): ForwardMove[] {
  const out = new Map<string, ForwardMove>(); // "from:to"
  for (const [fromHex, places] of table.packs()) {
    if (!keep(fromHex)) continue;
    const from = Buffer.from(fromHex, 'hex');
    for (const offset of places.keys()) {
      const now = table.place(from, offset);
      const k = `${fromHex}:${now.pack.toString('hex')}`;
      let move = out.get(k);
      if (!move) out.set(k, (move = { from, to: now.pack, fromOffsets: [], toOffsets: [] }));
      move.fromOffsets.push(offset);
      move.toOffsets.push(now.offset);
    }
  }
  return [...out.values()];
}
