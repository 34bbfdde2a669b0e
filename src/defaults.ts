// Every tunable number of the engine, with the reason it has the value it has. Values that
// shape the on-store format are copied into the repository config at `init`, so changing a
// default here never changes how an existing repository is read.

/** Change granularity. The unit of LVM/ZFS/Ceph change maps and of most filesystems. */
export const BLOCK_SIZE = 4096;

/**
 * Bytes covered by one fingerprint (SHA-256, first 16 bytes). Fingerprints are what a backup
 * without change information compares against, so this is its granularity. 16 KiB keeps one
 * hash call per 4 blocks (single-core SHA-256 on 16 KiB inputs runs at ~700 MiB/s here against
 * ~360 MiB/s on 4 KiB) and the fingerprints of a 1 MiB segment at 1 KiB, so a snapshot that
 * touches every segment with scattered writes still writes ~0.1% of the volume as metadata.
 */
export const FINGERPRINT_SIZE = 16384;
export const FINGERPRINT_BYTES = 16;

/**
 * Volume bytes covered by one map leaf. Leaves are rewritten whenever anything in them changes,
 * so smaller is cheaper per change; larger means fewer nodes to read on restore. 1 MiB gives a
 * ~1.5 KiB leaf and 1024 leaves per GiB.
 */
export const SEGMENT_SIZE = 1 << 20;

/** Children per interior node: a 64 GiB volume is a root over 256 nodes over 256 leaves. */
export const FANOUT = 256;

/**
 * Target pack size. Large enough that a backup is about one PUT per 16 MiB of change (and a
 * restore one ranged GET per few MiB), small enough that two packs in flight stay well inside
 * the 256 MiB memory budget.
 */
export const PACK_SIZE = 16 << 20;

/** Largest chunk: one segment, so no chunk is ever shared by two leaves. */
export const MAX_CHUNK_SIZE = SEGMENT_SIZE;

/**
 * A segment that changes again once its map references this many chunks is stored whole, as
 * one chunk (its holes staying holes). Each incremental adds about one chunk to each segment it
 * touches, and a restore opens every chunk a segment references, so without this a long chain
 * of scattered writes makes the latest snapshot slower to restore than the first (measured:
 * 1.38x at 100 snapshots). The price is upload: a fragmented segment costs one segment, once per
 * this many changes of it. 0 turns it off (`backup --rewrite-at`).
 */
export const REWRITE_AT_CHUNKS = 16;

/** A compressed chunk is kept only when it saves at least this fraction of its size. */
export const MIN_COMPRESSION_SAVING = 1 / 32;

/** zstd level 1: ~250 MiB/s on log-like text, ~1.4 GiB/s pass-through on random data. */
export const ZSTD_LEVEL = 1;

/** scrypt cost: 2^15 x 8 x 128 B = 32 MiB of memory and ~100 ms per password attempt. */
export const SCRYPT = { log2N: 15, r: 8, p: 1 } as const;

/** Source reads: 4 MiB sequential reads keep the page cache streaming at full speed. */
export const READ_SIZE = 4 << 20;
/**
 * Work on fewer bytes than this (a change list's total, a restore's range) runs on the main
 * thread: starting the worker threads costs ~0.1 s of wall time and ~0.3 s of CPU, more than
 * hashing, compressing and encrypting 32 MiB on one core.
 */
export const INLINE_BELOW = 32 << 20;
/** Source reads in flight (each READ_SIZE, twice with a previous source). */
export const READ_AHEAD = 3;

/**
 * Young generation of each worker thread's heap (MiB). A worker allocates little JavaScript but
 * many large buffers (compressed and encrypted chunks) that die at once; their memory is given
 * back only when a collection finds them dead, and with V8's default young generation (tens of
 * MiB) such collections came rarely: each worker floated ~50 MiB of dead buffers at the peak of
 * a backup. A small young generation collects every few batches (a scavenge of a nearly empty
 * heap, well under a millisecond), which keeps that to ~20 MiB per worker.
 */
export const WORKER_YOUNG_GENERATION_MB = 2;

/**
 * Restore: segments are rebuilt in batches of at least RESTORE_BATCH_BYTES sealed bytes, closed
 * where no pack span continues into the next segment (so a batch owns the span it was read with
 * and moves it to a worker without a copy), and at most RESTORE_MAX_BATCH_BYTES.
 */
export const RESTORE_BATCH_BYTES = 4 << 20;
export const RESTORE_MAX_BATCH_BYTES = 12 << 20;
/**
 * Restore: batches being rebuilt at once, and one more being fetched (two worker threads on two
 * cores stay busy). Workers open chunks as segments need them and write what they rebuild
 * straight to the target, so memory is about (RESTORE_CONCURRENCY + 1) x RESTORE_MAX_BATCH_BYTES
 * of sealed bytes, plus RESTORE_KEEP_BYTES of held spans, plus what each thread's collector has
 * not yet freed (buffers moved to a worker are freed when its heap is next collected).
 */
export const RESTORE_CONCURRENCY = 2;
/**
 * Restore reads the map ahead by this many segments (1 GiB of volume per 1,024; each leaf kept
 * is ~1.2 KiB) and plans the window's pack reads at once (restore-plan.ts): each needed part of a
 * pack is read with one GET however many batches use it. A pack used beyond the window is read
 * again in the next one, so larger volumes pay about one GET per pack per window.
 */
export const RESTORE_WINDOW_SEGMENTS = 2048;
/**
 * Restore: needed ranges of one pack this close are read as one span (the gap read and
 * dropped, and never more gap than needed bytes), a run longer than RESTORE_SPAN_MAX is cut into
 * the fewest spans of about equal length (at most one chunk longer than it: two GETs for a
 * default 16 MiB pack, which closes before it would pass 16 MiB), and at most RESTORE_KEEP_BYTES of spans are held for later
 * batches (the small pack of an incremental is used all over the volume). On Ceph RGW, 120 of a
 * restore's 264 GETs were 8-144 KB ranges of one 5.7 MiB pack. Measured on the 256 MiB bench
 * image (3 snapshots, local store): 133 GETs before; spans of 4 MiB: 43 GETs, 195 MiB peak RSS;
 * 8 MiB: 30 GETs, 198 MiB; 16 MiB (and batches to match): 22 GETs, 245-250 MiB, the 16 MiB
 * buffers moved to worker threads waiting for their collectors.
 */
export const RESTORE_GAP = 1 << 20;
export const RESTORE_SPAN_MAX = 8 << 20;
export const RESTORE_KEEP_BYTES = 32 << 20;
/** Restore: a background fdatasync of the target after every this many bytes written. */
export const RESTORE_FLUSH_EVERY = 64 << 20;
/**
 * Restore to a stream (stdout, a pipe): the volume is rebuilt window by window into a scratch
 * file of this size, in parallel and by position as any restore, then copied out in order. Large
 * enough that the worker threads start once per 256 MiB, small enough for any temp directory.
 */
export const STREAM_WINDOW = 256 << 20;
/** Ranges of one pack closer than this are fetched with one GET (the gap is read and dropped). */
export const COALESCE_GAP = 256 << 10;

/**
 * Checking a change hint (hint-check.ts): by default a sample of what the hint calls unchanged
 * is read and compared with the base's fingerprints. A wrong hint is rarely wrong in one block
 * (a stale previous source differs wherever the volume changed since; a change list made from the
 * wrong snapshot misses whole writes), and 1% of the blocks, at least 256, finds such a hint with
 * near certainty while adding about 1% of a full read to an incremental. The sample is taken in
 * whole segments (64 blocks, one 1 MiB read and one map leaf each) so it costs few requests;
 * `parallel` segments are read at once. Their leaves are read `batch` segments at a time, level by
 * level with the nodes of a level fetched together (a few ranged GETs, not one per leaf), through
 * the backup's own node reader, whose walk then finds them cached: <= batch leaves (~1 KiB each)
 * held at once, within the reader's cache of 4096 nodes.
 */
export const HINT_SAMPLE = { share: 0.01, minBlocks: 256, parallel: 4, batch: 256 } as const;

/**
 * Data packs being uploaded at once while the next one fills. Each goes to the store as one body
 * copied into a reused upload buffer (src/engine/upload-buffers.ts), so a backup's pack memory
 * is the filling pack plus this many buffers of PACK_SIZE + PACK_SLACK: 52 MiB at the defaults,
 * whatever the volume size. Before, the S3 and Azure adapters joined each pack's parts into a
 * fresh buffer per upload, which held both copies during the upload and left 16 MiB of garbage
 * per pack.
 */
export const UPLOADS_IN_FLIGHT = 2;
/**
 * Room in an upload buffer beyond the pack size: a pack is closed once it reaches the pack size,
 * so its last chunk (up to MAX_CHUNK_SIZE, sealed) and its trailer (a few hundred KiB for
 * thousands of 4 KiB chunks) run past it. A pack that still does not fit goes as its parts.
 */
export const PACK_SLACK = 2 << 20;

/**
 * Copy between repositories: the sealed source bytes fetched for one batch of changed segments
 * (memory <= about 3 x batchBytes: sealed, opened and sealed again), and the ranged GETs of a
 * batch in flight at once. 32 MiB holds two default packs' worth of chunks, so a full copy
 * fetches with few large requests while the destination's uploads proceed.
 */
export const COPY = { batchBytes: 32 << 20, fetchesInFlight: 4 } as const;

/** Decoders refuse objects larger than these before allocating anything for them. */
export const LIMITS = {
  configBytes: 64 << 10,
  manifestBytes: 4 << 20,
  nodeBytes: 8 << 20,
  trailerBytes: 64 << 20,
  labels: 256,
  labelBytes: 4096,
  volumeNameBytes: 128,
} as const;

/**
 * How long a store that has not answered once is tried when it cannot be reached at all
 * (connection refused, unknown host, TLS failure): a DNS blip or a gateway restarting is over
 * in a few seconds, a wrong endpoint never is, and the user should hear which within 30 s
 * (CLI.md). Once the store has answered, faults get the whole budget below.
 */
export const FIRST_CONTACT_BUDGET_MS = 8_000;

/**
 * Retry of store requests: full-jitter exponential backoff from 100 ms up to 10 s per wait,
 * giving up after 5 minutes of trying: long enough to ride out an S3 SlowDown storm or a
 * short outage, short enough that a scheduled job fails while someone can still look.
 */
export const RETRY = { budgetMs: 5 * 60_000, baseDelayMs: 100, maxDelayMs: 10_000, firstContactBudgetMs: FIRST_CONTACT_BUDGET_MS } as const;

/** Requests in flight to one store: enough to fill a link with 16 MiB ranged GETs and PUTs. */
export const STORE_CONCURRENCY = 16;

/**
 * Azure Blob uploads. A body up to `singlePutMax` goes in one Put Blob: a pack (PACK_SIZE) is one
 * request, and a failed attempt resends at most 32 MiB. Larger bodies are staged in blocks of
 * `blockSize`, `blocksInFlight` at a time, and committed with one Put Block List, which makes the
 * object appear whole or not at all (a failed large put is retried whole by the retry wrapper).
 * 16 MiB blocks allow objects up to 50,000 x 16 MiB (~780 GiB). Memory beyond the caller's body:
 * <= blocksInFlight x blockSize, for blocks that straddle two of the caller's parts (copied).
 */
export const AZURE_UPLOAD = { singlePutMax: 32 << 20, blockSize: 16 << 20, blocksInFlight: 4 } as const;

/**
 * Prune keeps an unreferenced pack until it has been seen unreferenced for this long, since a
 * running backup uploads its packs before the manifest that names them (kopia and Proxmox
 * Backup Server keep about the same margin). One hour covers a backup that is slow between
 * two packs; a backup that runs longer than this between uploading a pack and committing
 * needs a larger `--grace`.
 */
export const PRUNE_GRACE_MS = 60 * 60_000;

/** Keys per batch delete (S3 DeleteObjects takes up to 1000); per-key deletes run this many at once. */
export const DELETE_BATCH = 1000;
export const DELETE_WORKERS = 8;

/**
 * prune rewrites a pack when less than this share of its bytes is still live (restic keeps up to
 * 5% of a repository unused; kopia rewrites short packs): mostly-dead packs go, mostly-live stay.
 */
export const REPACK_BELOW = 0.5;
/** Packs repack reads at once (each held whole in memory while its live blobs are copied). */
export const REPACK_READS = 3;

/**
 * Repository leases (src/repo/lease.ts). A running operation rewrites its lease every
 * `refreshMs`; one not rewritten for `staleMs` is stale: its holder is taken for gone, so an
 * exclusive acquisition ignores it. Six missed refreshes make a lease stale, which rides out a
 * store outage of ~25 minutes and clocks that differ by as much between hosts; a holder whose
 * refreshes keep failing stops itself (`lostAfterMs`) before anyone else may take it for stale.
 * `waitMs`: how long an exclusive acquisition waits for contenders that saw it to back off
 * (they delete their lease within one list and one delete), polling every `pollMs`.
 * `marginMs`: what `runningSince` subtracts, for clocks of different hosts and for the moment
 * between a backup writing its lease and reading the snapshots it builds on.
 */
export const LEASE = {
  refreshMs: 5 * 60_000,
  staleMs: 30 * 60_000,
  lostAfterMs: 25 * 60_000,
  waitMs: 10_000,
  pollMs: 200,
  marginMs: 5 * 60_000,
  /** Lease objects are a few hundred bytes; anything larger is not ours. */
  objectBytes: 16 << 10,
} as const;

/**
 * Backup checkpoints (src/engine/checkpointer.ts, src/repo/checkpoints.ts). A running backup
 * makes what it has done durable and records it each time `everyPacks` data packs have been
 * uploaded since the last checkpoint, or after `everyMs` with anything new: a killed backup
 * then loses at most about 8 packs (128 MiB at the default pack size) of uploads, and the re-run
 * resumes from there. Counting packs rather than bytes keeps the cost a fixed share whatever
 * the pack size: each checkpoint adds a tree-pack PUT (the leaves written since the last one,
 * ~200 KiB in a full backup), the checkpoint PUT (a few KiB) and a DELETE of the previous one,
 * so ~2 PUTs per 8 data PUTs, and a restore reads ~1 more tree range per 128 MiB. The minute
 * bounds the loss on slow links and covers resumed stretches that upload nothing.
 *
 * `maxAgeMs`: prune keeps what a checkpoint references (as it keeps what a snapshot does) for
 * this long after the checkpoint was written, then deletes the checkpoint; a backup resumes only
 * from checkpoints younger than `resumeAgeMs`, so a resumed run has hours to write its own
 * checkpoint (within `everyMs`) before prune can stop keeping what it reuses.
 */
export const CHECKPOINT = {
  everyPacks: 8,
  everyMs: 60_000,
  maxAgeMs: 24 * 3600_000,
  resumeAgeMs: 20 * 3600_000,
  /** A checkpoint lists at most (fanout - 1) x levels nodes: a few hundred KiB at worst. */
  objectBytes: 16 << 20,
} as const;

/**
 * Manifests the catalog reads at once when they are not in the local cache (a cold machine, or
 * new snapshots): each is a few KiB, so this bounds requests in flight, not memory. 16 keeps a
 * 10,000-snapshot volume's first listing to ~600 rounds of latency instead of 10,000.
 */
export const MANIFEST_READS = 16;

/**
 * Rehydration status polls (restore --rehydrate): the first a minute after the requests (S3
 * Expedited takes 1-5 minutes), then doubling to every 15 minutes: a Standard thaw of hours is
 * seen within 15 minutes of its end for about 20 HEADs per pack, whatever its length.
 */
export const REHYDRATE_POLL = { firstMs: 60_000, maxMs: 15 * 60_000 } as const;

/** Days a restored S3 copy of an archived pack stays readable: a day for the restore, a day spare. */
export const REHYDRATE_DAYS = 2;
