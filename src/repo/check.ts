// `check`: every manifest opens, every map node decodes, every referenced pack exists and is
// long enough; with readData, every pack is downloaded and every blob in it is authenticated,
// and every snapshot is rebuilt as restore would rebuild it, proving each byte.
// Leftovers of interrupted runs (packs no snapshot references) are warnings, not errors.
import { type Clock, systemClock } from '../clock.js';
import { IntegrityError, errorMessage } from '../errors.js';
import type { Progress } from '../engine/progress.js';
import { restore } from '../engine/restore.js';
import { RestoreTarget } from '../engine/target.js';
import { NodeReader } from '../engine/node-store.js';
import { visitTree } from '../engine/tree-walk.js';
import type { ProgressFn } from '../engine/progress.js';
import { DATA_PREFIX, SNAPSHOT_PREFIX, TREE_PREFIX, packKey, parsePackKey, parseSnapshotKey } from '../format/layout.js';
import { readTrailer } from '../format/pack.js';
import { BlobKind } from '../format/seal.js';
import { type BlobRef, type Manifest, PackKind, type PackTrailer } from '../format/types.js';
import { describe, readManifest } from './catalog.js';
import { lockWarnings } from './lock-objects.js';
import { leftoverWarnings } from './leftovers.js';
import { packsNeeded } from './rehydrate-plan.js';
import type { Repository } from './repository.js';

export interface CheckReport {
  ok: boolean;
  errors: string[];
  warnings: string[];
  snapshots: number;
  packs: number;
  /** Packs downloaded and authenticated (readData). */
  packsRead: number;
}

interface Use {
  kind: PackKind;
  blobs: Map<string, BlobRef>;
  by: string;
}

export interface CheckOptions {
  readData: boolean;
  /**
   * With readData: which of the packs present (sorted keys) to read back, and no snapshot
   * rebuilt; default every pack, and every snapshot rebuilt (the daemon's verify reads a rotating share).
   */
  selectPacks?: (keys: readonly string[]) => readonly string[];
  onProgress?: ProgressFn;
  nowMs?: number;
  /** Ages leftovers when `nowMs` is not given; default the system clock. */
  clock?: Clock;
}

export async function checkRepository(repo: Repository, opts: CheckOptions): Promise<CheckReport> {
  const nowMs = opts.nowMs ?? (opts.clock ?? systemClock).now();
  const errors: string[] = [];
  const warnings: string[] = [];
  const reader = new NodeReader(repo);
  const used = new Map<string, Use>(); // pack key -> referenced blobs
  const seenNodes = new Set<string>();
  const use = (kind: PackKind, b: BlobRef, by: string) => {
    const key = packKey(kind, b.pack);
    let u = used.get(key);
    if (!u) used.set(key, (u = { kind, blobs: new Map(), by }));
    u.blobs.set(b.id.toString('hex'), b);
  };


  let snapshots = 0;
  const manifests: Manifest[] = [];
  for await (const o of repo.store.list(SNAPSHOT_PREFIX)) {
    if (!parseSnapshotKey(o.key)) {
      warnings.push(`object ${o.key} is not a snapshot manifest`);
      continue;
    }
    snapshots++;
    let m: Manifest;
    try {
      m = await readManifest(repo, o.key);
    } catch (err) {
      errors.push(errorMessage(err));
      continue;
    }
    manifests.push(m);
    try {
      const by = describe(m);
      if (m.root) await visitTree(reader, m.root, m.rootLevel, seenNodes, (r) => use(PackKind.Tree, r.blob, by), (c) => use(PackKind.Data, c, by));
    } catch (err) {
      errors.push(`${describe(m)}: ${errorMessage(err)}`);
    }
  }

  const present = new Map<string, number>();
  // Packs in an archive tier are never read here (a GET would be refused, or bill a thaw).
  const archive = new Set((repo.store.capabilities.archiveTiers ?? []).map((t) => t.toLowerCase()));
  const cold = new Set<string>();
  for (const prefix of [DATA_PREFIX, TREE_PREFIX]) {
    for await (const o of repo.store.list(prefix)) {
      if (o.tier !== undefined && archive.has(o.tier.toLowerCase())) cold.add(o.key);
      if (parsePackKey(o.key)) present.set(o.key, o.size);
      else warnings.push(`object ${o.key} is not a pack (a leftover temporary file?)`);
    }
  }
  for (const [key, u] of used) {
    const size = present.get(key);
    if (size === undefined) {
      errors.push(`pack ${key} is missing (needed by ${u.by})`);
      continue;
    }
    for (const b of u.blobs.values()) {
      if (b.offset + b.length > size) {
        errors.push(`pack ${key} is truncated: ${size} bytes, a blob needs bytes up to ${b.offset + b.length}`);
        break;
      }
    }
  }
  // Checkpoints of killed backups, and what only they reference, are kept for a resume.
  const leftovers = await leftoverWarnings(repo, nowMs, (key) => present.has(key));
  for (const w of leftovers.warnings) warnings.push(w); // may be many: never spread into arguments
  for (const key of present.keys()) {
    if (!used.has(key) && !leftovers.packs.has(key)) warnings.push(`pack ${key} is not referenced by any snapshot (left by an interrupted run; prune removes it)`);
  }

  let packsRead = 0;
  if (opts.readData) {
    const chosen = opts.selectPacks ? opts.selectPacks([...present.keys()].sort()) : [...present.keys()];
    const total = chosen.reduce((a, k) => a + (present.get(k) ?? 0), 0);
    let done = 0;
    if (cold.size) warnings.push(`${cold.size} packs are in an archive tier and were not read (restore --rehydrate thaws what a snapshot needs)`);
    for (const key of chosen) {
      const size = present.get(key);
      if (size === undefined) continue;
      if (cold.has(key)) {
        done += size;
        continue;
      }
      packsRead++;
      const parsed = parsePackKey(key)!;
      const problem = await verifyPack(repo, key, parsed.pack, parsed.kind, used.get(key));
      if (problem) errors.push(problem);
      done += size;
      opts.onProgress?.({ phase: 'check', bytesDone: done, bytesTotal: total, bytesUploaded: 0, objects: 0 });
    }
  }
  if (opts.readData && !opts.selectPacks) {
    // Every snapshot is rebuilt the way restore rebuilds it, and discarded: each leaf's data
    // proven against its fingerprints. Authentic packs can still hold a snapshot whose map and
    // data disagree (a backup that trusted a wrong hint, in versions before hints were checked).
    // Not with a chosen share of packs: rebuilding every snapshot would read every pack (the
    // daemon's drill proves the latest snapshot of a volume byte by byte instead).
    const total = manifests.reduce((n, m) => n + m.size, 0);
    let done = 0;
    for (const m of manifests) {
      if (cold.size && (await packsNeeded(repo, m, 0, m.size)).some((k) => cold.has(k))) {
        warnings.push(`${describe(m)} was not rebuilt: it needs packs in an archive tier`);
        done += m.size;
        continue;
      }
      const sink = await RestoreTarget.discard();
      try {
        await restore(repo, {
          manifest: m,
          name: describe(m),
          target: sink,
          offset: 0,
          length: m.size,
          ...(opts.onProgress
            ? { onProgress: (p: Progress) => opts.onProgress?.({ ...p, phase: 'check snapshots', bytesDone: done + p.bytesDone, bytesTotal: total }) }
            : {}),
        });
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
        errors.push(`${describe(m)} would not restore: ${errorMessage(err).replace(`${describe(m)}: `, '')}`);
      } finally {
        await sink.close();
      }
      done += m.size;
    }
  }
  // Stale locks are leftovers of killed runs: nothing is wrong with the data.
  for (const w of await lockWarnings(repo, { nowMs })) warnings.push(w);
  return { ok: errors.length === 0, errors, warnings, snapshots, packs: present.size, packsRead };
}

async function verifyPack(repo: Repository, key: string, id: Buffer, kind: PackKind, use: Use | undefined): Promise<string | null> {
  let buf: Buffer;
  try {
    buf = await repo.store.get(key);
  } catch (err) {
    return `pack ${key} cannot be read: ${errorMessage(err)}`;
  }
  let trailer: PackTrailer;
  try {
    trailer = readTrailer(buf, id, repo.sealer);
  } catch (err) {
    return `pack ${key} is damaged: ${errorMessage(err)}`;
  }
  if (trailer.kind !== kind) return `pack ${key} is damaged: its trailer says it holds another kind of data`;
  const blobKind = kind === PackKind.Data ? BlobKind.Data : BlobKind.Node;
  const listed = new Map<string, { offset: number; length: number }>();
  for (const e of trailer.entries) {
    listed.set(e.id.toString('hex'), e);
    try {
      repo.sealer.open(blobKind, e.id, buf.subarray(e.offset, e.offset + e.length), e.rawLength);
    } catch (err) {
      return `pack ${key} is damaged: blob ${e.id.toString('hex').slice(0, 16)} at offset ${e.offset}: ${errorMessage(err)}`;
    }
  }
  for (const [id, b] of use?.blobs ?? []) {
    const e = listed.get(id);
    if (!e || e.offset !== b.offset || e.length !== b.length) return `pack ${key} is damaged: blob ${id.slice(0, 16)} needed by ${use?.by} is not in its trailer`;
  }
  return null;
}
