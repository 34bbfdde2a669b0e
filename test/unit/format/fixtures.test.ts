// Format compatibility, for ever: every repository under test/fixtures/<format>/ was written by
// the code of that format's time (scripts/make-fixtures.mjs) and is never rewritten. Today's code
// must list each one's snapshots, restore every one to the recorded SHA-256, and check it clean,
// data included. A change that breaks this breaks users' repositories: see docs/format.md.
import { createHash } from 'node:crypto';
import { cp, readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshotKey } from '../../../src/format/layout.js';
import { LocalStore, Repository, checkRepository, listSnapshots, restoreSnapshot } from '../../../src/index.js';
import { tempDir } from '../../helpers/cli.js';

interface FixtureSnapshot {
  volume: string;
  id: string;
  size: number;
  sha256: string;
}
interface FixtureRepo {
  dir: string;
  password: string | null;
  snapshots: FixtureSnapshot[];
}

const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
const formats = (await readdir(FIXTURES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const cases = await Promise.all(
  formats.map(async (format) => {
    const doc = JSON.parse(await readFile(join(FIXTURES, format, 'fixtures.json'), 'utf8')) as { repositories: FixtureRepo[] };
    return doc.repositories.map((r) => ({ format, ...r, name: `${format}/${r.dir}` }));
  }),
).then((all) => all.flat());

describe('repositories written by every released format', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir('snaptier-fixtures-');
  });
  afterAll(() => tmp.cleanup());

  it('there is at least one fixture, with several snapshots, in each format', () => {
    expect(formats.length).toBeGreaterThan(0);
    for (const c of cases) expect(c.snapshots.length, c.name).toBeGreaterThan(1);
  });

  it.each(cases)('$name: lists, restores every snapshot to its SHA-256, and checks clean', async (c) => {
    // A copy: opening, restoring or checking must never change the committed fixture.
    const dir = join(tmp.path, c.format, c.dir);
    await cp(join(FIXTURES, c.format, c.dir), dir, { recursive: true });
    const repo = await Repository.open(new LocalStore(dir), async () => c.password ?? '');
    // Compared by the ids in the object keys, the format's truth: how an id is shown may change
    // (copies made by v1 are shown by their origin's id since copies keep ids), the keys do not.
    const listed = (await listSnapshots(repo, undefined, { strict: true })).map((s) => parseSnapshotKey(s.key)!.id).sort();
    expect(listed).toEqual(c.snapshots.map((s) => s.id).sort());
    for (const s of c.snapshots) {
      const target = join(tmp.path, `${c.format}-${c.dir}-${s.id}`);
      await restoreSnapshot(repo, { volume: s.volume, snapshot: s.id, target });
      const got = await readFile(target);
      expect({ id: s.id, size: got.length, sha256: createHash('sha256').update(got).digest('hex') }).toEqual({ id: s.id, size: s.size, sha256: s.sha256 });
    }
    const check = await checkRepository(repo, { readData: true });
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([]);
  });
});
