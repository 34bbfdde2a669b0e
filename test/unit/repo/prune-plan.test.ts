// Every safety rule of prune, on its pure plan (restic's PlanPrune): made-up facts in, the
// decision and its reason out. No store, no clock; each rule has a case where it decides alone.
import { describe, expect, it } from 'vitest';
import { PackKind } from '../../../src/format/types.js';
import { LiveBlobs } from '../../../src/repo/live-blobs.js';
import { type PruneFacts, immutabilityQuestions, planPrune } from '../../../src/repo/prune-plan.js';
import { repackChoices } from '../../../src/repo/prune-repack.js';
import type { RepackCandidate } from '../../../src/repo/repack.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const GRACE = 24 * HOUR;

/** Pack id hex n (16 bytes) and its key. */
const hex = (n: number): string => n.toString(16).padStart(32, '0');
const key = (n: number): string => `data/${hex(n).slice(0, 2)}/${hex(n)}`;

function facts(over: Partial<PruneFacts> & { packs?: number[] } = {}): PruneFacts {
  const present = new Map((over.packs ?? [1, 2, 3]).map((n) => [hex(n), { key: key(n), size: 1000 * n }]));
  return {
    nowMs: NOW,
    graceMs: GRACE,
    present,
    records: new Map(),
    referenced: new Set(),
    running: undefined,
    immutable: new Map(),
    repackCandidates: [],
    holds: [],
    snapshots: new Set(),
    ...over,
  };
}

const decided = (plan: ReturnType<typeof planPrune>) => ({
  delete: Object.fromEntries(plan.delete.map((d) => [d.pack, d.reason])),
  keep: Object.fromEntries(plan.keep.map((k) => [k.pack, k.reason])),
});

function candidate(n: number, liveBytes: number): RepackCandidate {
  return { key: key(n), pack: Buffer.from(hex(n), 'hex'), kind: PackKind.Data, size: 1000 * n, liveBytes };
}

describe('prune plan', () => {
  it('never deletes a referenced pack, whatever the records say', () => {
    const plan = planPrune(facts({ referenced: new Set([hex(1), hex(2), hex(3)]), records: new Map([[hex(1), { sinceMs: 0, released: true }]]) }));
    expect(plan.delete).toEqual([]);
    expect(plan.keep).toEqual([]);
    expect(plan.remember).toEqual([]); // a released pack still referenced is forgotten
  });

  it('grace period: an unreferenced pack first seen now, or less than the grace ago, stays and is remembered', () => {
    const plan = planPrune(facts({ records: new Map([[hex(2), { sinceMs: NOW - GRACE + 1, released: false }], [hex(3), { sinceMs: NOW - GRACE, released: false }]]) }));
    expect(decided(plan)).toEqual({ delete: { [hex(3)]: 'grace-over' }, keep: { [hex(1)]: 'grace', [hex(2)]: 'grace' } });
    expect(plan.remember.map((r) => [r.pack.toString('hex'), r.sinceMs])).toEqual([
      [hex(1), NOW],
      [hex(2), NOW - GRACE + 1],
    ]);
    expect({ deferred: plan.packsDeferred, bytes: plan.bytesDeferred, freed: plan.bytesFreed }).toEqual({ deferred: 2, bytes: 3000, freed: 3000 });
  });

  it('releases: a pack forget released goes at once, without waiting out the grace', () => {
    const plan = planPrune(facts({ packs: [1], records: new Map([[hex(1), { sinceMs: NOW, released: true }]]) }));
    expect(decided(plan)).toEqual({ delete: { [hex(1)]: 'released' }, keep: {} });
  });

  it('running-backup rule: a pack unreferenced since a running backup started stays, released or past the grace', () => {
    const started = NOW - 2 * GRACE;
    const plan = planPrune(
      facts({
        running: started,
        records: new Map([
          [hex(1), { sinceMs: started, released: true }], // since the backup started: it may name it
          [hex(2), { sinceMs: started + 1, released: false }], // past the grace, still after the start
          [hex(3), { sinceMs: started - 1, released: false }], // unreferenced before the backup began
        ]),
      }),
    );
    expect(decided(plan)).toEqual({ delete: { [hex(3)]: 'grace-over' }, keep: { [hex(1)]: 'running-backup', [hex(2)]: 'running-backup' } });
    expect(plan.remember.find((r) => r.pack.toString('hex') === hex(1))?.released).toBe(true);
  });

  it('immutable packs: what is still immutable is kept, remembered as it was, and not counted as deferred', () => {
    const f = facts({ records: new Map([[hex(1), { sinceMs: 5, released: true }]]), graceMs: 0 });
    expect(immutabilityQuestions(f).sort()).toEqual([key(1), key(2), key(3)]);
    const plan = planPrune({ ...f, immutable: new Map([[key(1), NOW + HOUR]]) });
    expect(decided(plan)).toEqual({ delete: { [hex(2)]: 'grace-over', [hex(3)]: 'grace-over' }, keep: { [hex(1)]: 'immutable' } });
    expect(plan.remember).toEqual([{ pack: Buffer.from(hex(1), 'hex'), sinceMs: 5, released: true }]);
    expect({ deferred: plan.packsDeferred, locked: plan.bytesLocked }).toEqual({ deferred: 0, locked: 1000 });
  });

  it('repack thresholds: a referenced pack is a candidate only when its live share is below the threshold', () => {
    const live = new LiveBlobs();
    live.add(hex(1), 0, 299); // 299 of 1000 live: below 0.3
    live.add(hex(2), 0, 600); // 600 of 2000 live: exactly 0.3, not below
    live.add(hex(3), 0, 3000); // all live
    const present = facts().present;
    const referenced = new Set([hex(1), hex(2), hex(3)]);
    expect(repackChoices(present, referenced, live, 0.3).map((c) => [c.key, c.liveBytes])).toEqual([[key(1), 299]]);
    expect(repackChoices(present, referenced, live, 0.31).map((c) => c.key)).toEqual([key(1), key(2)]);
    expect(repackChoices(present, referenced, live, 0)).toEqual([]);
  });

  it('a repacked pack waits out the grace period and running backups; with neither it goes at once', () => {
    const referenced = new Set([hex(1), hex(2), hex(3)]);
    const c = [candidate(1, 10)];
    expect(decided(planPrune(facts({ referenced, repackCandidates: c })))).toEqual({ delete: {}, keep: { [hex(1)]: 'repacked-wait' } });
    expect(decided(planPrune(facts({ referenced, repackCandidates: c, graceMs: 0, running: NOW - 1 })))).toEqual({ delete: {}, keep: { [hex(1)]: 'repacked-wait' } });
    expect(decided(planPrune(facts({ referenced, repackCandidates: c, graceMs: 0 })))).toEqual({ delete: { [hex(1)]: 'repacked' }, keep: {} });
  });

  it('an immutable pack is not repacked (its copy would only add bytes)', () => {
    const referenced = new Set([hex(1), hex(2), hex(3)]);
    const plan = planPrune(facts({ referenced, graceMs: 0, repackCandidates: [candidate(1, 10), candidate(2, 20)], immutable: new Map([[key(1), NOW + HOUR]]) }));
    expect(plan.repack.map((r) => r.key)).toEqual([key(2)]);
    expect(decided(plan)).toEqual({ delete: { [hex(2)]: 'repacked' }, keep: {} });
  });

  it('holds: a hold whose snapshot exists stays; one whose snapshot is gone is deleted', () => {
    const plan = planPrune(
      facts({
        holds: [
          { key: 'holds/v/a', snapshot: 'v/a' },
          { key: 'holds/v/b', snapshot: 'v/b' },
        ],
        snapshots: new Set(['v/a']),
      }),
    );
    expect(plan.holdsToDelete).toEqual(['holds/v/b']);
  });

  it('plans a hundred thousand packs without spreading them into arguments', () => {
    const packs = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const plan = planPrune(facts({ packs, graceMs: 0 }));
    expect(plan.delete).toHaveLength(100_000);
  });
});
