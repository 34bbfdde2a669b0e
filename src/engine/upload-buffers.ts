// Reused buffers that a finished pack is copied into for its upload. A pack is built from the
// sealed chunks as the workers return them (views into their answers); joined into one of these
// buffers it reaches every store as one body, so the S3 and Azure adapters make no copy of their
// own, and the workers' answers are free as soon as the pack is closed instead of when its
// upload ends. The buffers are never garbage: a backup of any size allocates at most as many as
// it has uploads in flight, and a pack that does not fit one is uploaded as its parts.

export class UploadBuffers {
  private readonly free: Buffer[] = [];
  /** Buffers allocated so far: the bound tests check, and what the memory comment promises. */
  allocated = 0;

  constructor(private readonly size: number) {}

  /**
   * The parts as one body. `buffer` is the pooled buffer behind it, to give back with release()
   * once the store is done with the body (null when the parts did not fit and went as they are).
   */
  join(parts: readonly Buffer[], length: number): { body: Buffer[]; buffer: Buffer | null } {
    if (length > this.size) return { body: [...parts], buffer: null };
    let buffer = this.free.pop();
    if (!buffer) {
      // Not from Node's shared pool: a buffer of its own, reused until the backup ends.
      buffer = Buffer.allocUnsafeSlow(this.size);
      this.allocated++;
    }
    let at = 0;
    for (const p of parts) at += p.copy(buffer, at);
    return { body: [buffer.subarray(0, length)], buffer };
  }

  release(buffer: Buffer | null): void {
    if (buffer) this.free.push(buffer);
  }
}
