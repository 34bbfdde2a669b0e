// Which byte ranges of each pack some snapshot still names, for repacking: 8 bytes a reference
// (offset and length as u32; packs are far below 4 GiB), sorted and de-duplicated in place
// whenever a pack's array fills, so a blob named by many leaves costs little more than once.
// No blob ids and no per-blob objects: a million live chunks take about 8 MB.

interface PackRefs {
  refs: Uint32Array;
  n: number; // pairs used
}

export interface LiveBlob {
  offset: number;
  length: number;
}

export class LiveBlobs {
  private readonly packs = new Map<string, PackRefs>();

  add(packHex: string, offset: number, length: number): void {
    let p = this.packs.get(packHex);
    if (!p) this.packs.set(packHex, (p = { refs: new Uint32Array(16), n: 0 }));
    if (p.n * 2 === p.refs.length) {
      compact(p);
      // Still more than half full after removing repeats: the pack has that many live blobs.
      if (p.n * 4 > p.refs.length) {
        const bigger = new Uint32Array(p.refs.length * 2);
        bigger.set(p.refs.subarray(0, p.n * 2));
        p.refs = bigger;
      }
    }
    p.refs[p.n * 2] = offset;
    p.refs[p.n * 2 + 1] = length;
    p.n++;
  }

  /** The distinct live blobs of a pack, by offset. */
  blobs(packHex: string): LiveBlob[] {
    const p = this.packs.get(packHex);
    if (!p) return [];
    compact(p);
    const out: LiveBlob[] = [];
    for (let i = 0; i < p.n; i++) out.push({ offset: p.refs[i * 2]!, length: p.refs[i * 2 + 1]! });
    return out;
  }

  liveBytes(packHex: string): number {
    const p = this.packs.get(packHex);
    if (!p) return 0;
    compact(p);
    let n = 0;
    for (let i = 0; i < p.n; i++) n += p.refs[i * 2 + 1]!;
    return n;
  }
}

/** Sorts the pairs by offset and drops repeats. */
function compact(p: PackRefs): void {
  const order = Array.from({ length: p.n }, (_, i) => i).sort((a, b) => p.refs[a * 2]! - p.refs[b * 2]!);
  const sorted = new Uint32Array(p.refs.length);
  let m = 0;
  for (const i of order) {
    const off = p.refs[i * 2]!;
    if (m > 0 && sorted[(m - 1) * 2] === off) continue;
    sorted[m * 2] = off;
    sorted[m * 2 + 1] = p.refs[i * 2 + 1]!;
    m++;
  }
  p.refs = sorted;
  p.n = m;
}
