// Bandwidth limits as a wrapper: a token bucket per direction, in bytes per second. A request
// waits until its bytes fit the rate (whole-request granularity: packs are the unit of work).
import type { GetOptions, ObjectStore, PutOptions } from '../object-store.js';
import { totalLength } from '../object-store.js';
import { ForwardingStore } from './forwarding.js';

export class TokenBucket {
  private available: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly bytesPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.available = bytesPerSecond; // one second of burst
    this.last = now();
  }

  /** Resolves when `bytes` may be sent; callers are served in order. */
  take(bytes: number): Promise<void> {
    const turn = this.queue.then(async () => {
      const t = this.now();
      this.available = Math.min(this.bytesPerSecond, this.available + ((t - this.last) * this.bytesPerSecond) / 1000);
      this.last = t;
      this.available -= bytes;
      if (this.available < 0) await this.sleep((-this.available / this.bytesPerSecond) * 1000);
    });
    this.queue = turn;
    return turn;
  }
}

export class BandwidthLimitedStore extends ForwardingStore {
  constructor(
    inner: ObjectStore,
    private readonly up: TokenBucket | null,
    private readonly down: TokenBucket | null,
  ) {
    super(inner);
  }

  override async put(key: string, body: readonly Uint8Array[], options?: PutOptions): Promise<void> {
    await this.up?.take(totalLength(body));
    await this.inner.put(key, body, options);
  }

  override async get(key: string, options?: GetOptions): Promise<Buffer> {
    if (this.down && options?.range) await this.down.take(options.range.length);
    const buf = await this.inner.get(key, options);
    if (this.down && !options?.range) await this.down.take(buf.length);
    return buf;
  }
}
