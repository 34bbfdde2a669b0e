// Places sealed data chunks into packs and uploads each full pack while the next one fills.
// Memory: <= (1 + UPLOADS_IN_FLIGHT) x packSize of sealed bytes.
import { UPLOADS_IN_FLIGHT } from '../defaults.js';
import { packKey } from '../format/layout.js';
import { PackBuilder } from '../format/pack.js';
import { type BlobRef, PackKind } from '../format/types.js';
import type { RepoContext } from './context.js';

export class DataSink {
  private pack: PackBuilder | null = null;
  private readonly uploads: Promise<void>[] = [];
  readonly packs: Buffer[] = [];
  bytesUploaded = 0;
  objectsUploaded = 0;
  bytesStored = 0;

  constructor(
    private readonly ctx: RepoContext,
    private readonly onUploaded?: (bytes: number) => void,
  ) {}

  /** Adds a chunk sealed (as BlobKind.Data, bound to `id`) by the CPU stage. */
  async addSealed(id: Buffer, sealed: readonly Buffer[], rawLength: number): Promise<BlobRef> {
    if (!this.pack) this.pack = new PackBuilder(PackKind.Data, this.ctx.sealer);
    const ref = this.pack.addSealed(id, sealed, rawLength);
    this.bytesStored += ref.length;
    if (this.pack.bytes >= this.ctx.geometry.packSize) await this.rotate();
    return ref;
  }

  private async rotate(): Promise<void> {
    const pack = this.pack;
    this.pack = null;
    if (!pack || pack.count === 0) return;
    while (this.uploads.length >= UPLOADS_IN_FLIGHT) await this.uploads.shift();
    const parts = pack.finish();
    const size = parts.reduce((n, p) => n + p.length, 0);
    const tier = this.ctx.config.dataTier;
    const upload = this.ctx.store.put(packKey(PackKind.Data, pack.id), parts, tier ? { tier } : {}).then(() => {
      this.packs.push(pack.id);
      this.bytesUploaded += size;
      this.objectsUploaded++;
      this.onUploaded?.(size);
    });
    upload.catch(() => {}); // awaited in order by rotate() or finish()
    this.uploads.push(upload);
  }

  /** Uploads the last pack and waits for every upload; after this, every returned ref is durable. */
  async finish(): Promise<void> {
    await this.rotate();
    while (this.uploads.length > 0) await this.uploads.shift();
  }
}
