// Exact-length reads from a socket, with back-pressure: the socket is paused while more than one
// message's worth of bytes waits to be taken, so a client that sends faster than we serve is
// held back by TCP instead of filling our memory.
import type { Duplex } from 'node:stream';

const HIGH_WATER = 1 << 20;

export class ConnectionClosed extends Error {
  constructor() {
    super('the client closed the connection');
  }
}

export class Wire {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private want = 0;
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(readonly socket: Duplex) {
    socket.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.buffered += d.length;
      if (this.buffered > Math.max(HIGH_WATER, this.want)) socket.pause();
      this.poke();
    });
    const end = () => {
      this.ended = true;
      this.poke();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  /** Exactly `n` bytes; ConnectionClosed when the peer ends first. */
  async read(n: number): Promise<Buffer> {
    this.want = n;
    while (this.buffered < n) {
      if (this.ended) throw new ConnectionClosed();
      this.socket.resume();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const out = this.take(n);
    if (this.buffered <= HIGH_WATER) this.socket.resume();
    return out;
  }

  /** Writes one whole message (parts in order, no other message between them). */
  send(...parts: Buffer[]): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      for (const [i, p] of parts.entries()) {
        const last = i === parts.length - 1;
        if (last) this.socket.write(p, () => resolve());
        else this.socket.write(p);
      }
      if (parts.length === 0) resolve();
    });
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - done);
      c.copy(out, done, 0, k);
      done += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
