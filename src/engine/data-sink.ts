// Places sealed data chunks into packs and uploads each full pack while the next one fills.
// Memory: the filling pack (packSize of sealed chunks) plus UPLOADS_IN_FLIGHT upload buffers of
// packSize + PACK_SLACK, reused for every pack: <= 3 x 18 MiB at the defaults, whatever the
// volume size and whichever the store.
import { PACK_SLACK, UPLOADS_IN_FLIGHT } from '../defaults.js';
import { packKey } from '../format/layout.js';
import { PackBuilder } from '../format/pack.js';
import { type BlobRef, PackKind } from '../format/types.js';
import type { RepoContext } from './context.js';
import { UploadBuffers } from './upload-buffers.js';

export class DataSink {
  private pack: PackBuilder | null = null;
  private readonly uploads: Promise<void>[] = [];
  readonly packs: Buffer[] = [];
  bytesUploaded = 0;
  objectsUploaded = 0;
  bytesStored = 0;
  readonly buffers: UploadBuffers;

  constructor(
    private readonly ctx: RepoContext,
    private readonly onUploaded?: (bytes: number) => void,
  ) {
    this.buffers = new UploadBuffers(ctx.geometry.packSize + PACK_SLACK);
  }

  /** Adds a chunk sealed (as BlobKind.Data, bound to `id`) by the CPU stage. */
  async addSealed(id: Buffer, sealed: readonly Buffer[], rawLength: number): Promise<BlobRef> {
    // A pack is closed before a chunk would take it past packSize, not after: a restore reads a
    // pack of at most packSize in two spans of half of it (restore-plan.ts); one of 16.9 MiB took
    // three GETs, the third of ~1 MiB.
    const length = sealed.reduce((n, p) => n + p.length, 0);
    if (this.pack && this.pack.count > 0 && this.pack.bytes + length > this.ctx.geometry.packSize) await this.rotate();
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
    // Only the id outlives this call: the builder and its parts (the workers' answers) go now.
    const id = pack.id;
    const parts = pack.finish();
    const size = parts.reduce((n, p) => n + p.length, 0);
    const { body, buffer } = this.buffers.join(parts, size);
    const tier = this.ctx.config.dataTier;
    const put = this.ctx.store.put(packKey(PackKind.Data, id), body, tier ? { tier } : {});
    // Failed or not, the store is done with the body (the retry wrapper retries inside put).
    const upload = put.finally(() => this.buffers.release(buffer)).then(() => {
      this.packs.push(id);
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
