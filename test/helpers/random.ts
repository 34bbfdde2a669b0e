// Seeded, reproducible randomness for generated images and change sequences (mulberry32).
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  fill(buf: Buffer): Buffer {
    for (let i = 0; i + 4 <= buf.length; i += 4) buf.writeUInt32LE((this.next() * 4294967296) >>> 0, i);
    for (let i = buf.length & ~3; i < buf.length; i++) buf[i] = this.int(256);
    return buf;
  }
  bytes(n: number): Buffer {
    return this.fill(Buffer.allocUnsafe(n));
  }
}
