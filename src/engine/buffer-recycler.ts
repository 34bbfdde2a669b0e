// Read buffers that go round instead of becoming garbage. A backup reads the source into large
// buffers and transfers them to a worker thread; the worker sends them back with its answer and
// the next read reuses them. Without this, every isolate (main and each worker) lets tens of MiB
// of dead buffers float until its next collection, which is most of a backup's peak RSS.

export class BufferRecycler {
  private readonly free: ArrayBuffer[] = [];

  /**
   * Buffers of `size` bytes (a read of up to that length takes one); `keep`: how many spares to
   * hold. Buffers of other sizes, and spares beyond `keep`, are left to the garbage collector.
   */
  constructor(
    private readonly size: number,
    private readonly keep: number,
  ) {}

  /** A buffer of `length` bytes (contents undefined) that owns its memory. */
  take(length: number): Buffer {
    if (length > this.size) return Buffer.allocUnsafeSlow(length);
    const ab = this.free.pop() ?? new ArrayBuffer(this.size);
    return Buffer.from(ab, 0, length);
  }

  /** Returns buffers no one refers to any more (after a worker sent them back). */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const ab of buffers) {
      if (ab.byteLength === this.size && this.free.length < this.keep) this.free.push(ab);
    }
  }
}
