// A backup source that can only be read once, front to back: stdin, a pipe, a character device
// (`rbd export pool/img@snap -`, `ssh host dd`, `zcat image.gz`). Its size is what it delivered
// by end of file, known only then; until then `size` counts the bytes read so far.
import type { Readable } from 'node:stream';

export class StreamSource {
  readonly streaming = true;
  readonly isBlockDevice = false;
  private _size = 0;
  private ended = false;
  private pending: Buffer | null = null;
  private readonly chunks: AsyncIterator<Buffer | string>;

  constructor(
    readonly path: string,
    stream: Readable,
    private readonly onClose?: () => Promise<void>,
  ) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** Bytes delivered so far; the volume's size once `atEnd`. */
  get size(): number {
    return this._size;
  }

  get atEnd(): boolean {
    return this.ended && this.pending === null;
  }

  /**
   * Fills `into` (or a new buffer) with the next `length` bytes; fewer only at end of file. Returns
   * the filled part. Buffers never come from Node's shared pool (they may move to worker threads).
   */
  async readNext(length: number, into?: Buffer): Promise<Buffer> {
    const buf = into && into.length >= length ? into : Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      if (!this.pending) {
        if (this.ended) break;
        const r = await this.chunks.next();
        if (r.done) {
          this.ended = true;
          break;
        }
        const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        if (chunk.length === 0) continue;
        this.pending = chunk;
      }
      const n = Math.min(length - done, this.pending.length);
      this.pending.copy(buf, done, 0, n);
      this.pending = n === this.pending.length ? null : this.pending.subarray(n);
      done += n;
    }
    this._size += done;
    return buf.subarray(0, done);
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
    await this.onClose?.();
  }
}
