// How a worker's sealed results cross to the main thread (packSealed, reviveSealed): large sealed
// parts that own their memory move by transfer, everything else is copied into one buffer, the
// task buffers that go back for reuse are never moved as a part, and every byte arrives intact.
import { describe, expect, it } from 'vitest';
import type { SealedChange } from '../../../src/engine/sealed-change.js';
import { packSealed, reviveSealed } from '../../../src/engine/workers/messages.js';
import { Rng } from '../../helpers/random.js';

/** Crosses a thread boundary as postMessage does: structured clone with the transfer list. */
function cross(changes: SealedChange[], transfer: ArrayBuffer[]): SealedChange[] {
  return reviveSealed(structuredClone(changes, { transfer }));
}

const flat = (changes: SealedChange[]) =>
  changes.map((c) => ({ writes: c.writes.map((w) => ({ id: w.id.toString('hex'), sealed: Buffer.concat(w.sealed).toString('hex') })), fps: c.fingerprints.map((f) => f.fp.toString('hex')) }));

describe('sealed results crossing from a worker', () => {
  it('moves owned large parts, copies the rest, never moves a task buffer, and keeps every byte', () => {
    const rng = new Rng(5);
    const task = Buffer.from(rng.bytes(1 << 20)); // a task buffer, as the worker received it
    const body = Buffer.from(rng.bytes(300_000)); // a cipher's output: owns its ArrayBuffer
    expect(body.byteOffset === 0 && body.buffer.byteLength === body.length).toBe(true);
    const changes: SealedChange[] = [
      {
        index: 0,
        length: 1 << 20,
        dirty: [{ start: 0, length: 1 << 20 }],
        writes: [
          // Stored as read (incompressible, unencrypted): the whole task buffer is the body.
          { runs: [{ start: 0, length: 1 << 20 }], length: 1 << 20, id: Buffer.from(rng.bytes(16)), sealed: [Buffer.of(0), task, Buffer.from(rng.bytes(16))] },
          { runs: [{ start: 0, length: 300_000 }], length: 300_000, id: Buffer.from(rng.bytes(16)), sealed: [Buffer.from(rng.bytes(12)), Buffer.of(1), body, Buffer.from(rng.bytes(16))] },
          // A small owned part is copied, not moved: one transfer each would cost more than the copy.
          { runs: [{ start: 0, length: 100 }], length: 100, id: Buffer.from(rng.bytes(16)), sealed: [Buffer.from(rng.bytes(100))] },
        ],
        fingerprints: [{ index: 0, fp: Buffer.from(rng.bytes(16)) }],
        bytesChanged: 1 << 20,
      },
    ];
    const want = flat(changes);
    const { value, transfer } = packSealed(changes, [task.buffer as ArrayBuffer]);

    expect(transfer).toContain(body.buffer);
    expect(transfer).not.toContain(task.buffer);
    // The moved body plus one buffer for all the rest: small parts were not each moved.
    expect(transfer).toHaveLength(2);
    const arrived = cross(value, transfer);
    expect(body.buffer.byteLength, 'the body moved (detached here)').toBe(0);
    expect(task.length, 'the task buffer stays usable, to be sent back').toBe(1 << 20);
    expect(flat(arrived)).toEqual(want);
  });

  it('copies everything when no part owns its memory', () => {
    const rng = new Rng(6);
    const slab = Buffer.from(rng.bytes(1 << 20));
    const changes: SealedChange[] = [
      {
        index: 3,
        length: 1 << 20,
        dirty: [],
        writes: [{ runs: [{ start: 0, length: 200_000 }], length: 200_000, id: slab.subarray(0, 16), sealed: [slab.subarray(16, 200_016)] }],
        fingerprints: [],
        bytesChanged: 0,
      },
    ];
    const want = flat(changes);
    const { value, transfer } = packSealed(changes);
    expect(transfer).toHaveLength(1);
    expect(transfer).not.toContain(slab.buffer);
    expect(flat(cross(value, transfer))).toEqual(want);
    expect(slab.length).toBe(1 << 20);
  });
});
