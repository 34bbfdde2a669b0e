// `serve` refuses what it cannot do before it listens, with exit 2 and one line naming why:
// writes with nowhere to go, an overlay and a target at once, a bad listen address, an unknown
// snapshot, and a target that holds something else (left untouched).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/cli.js';
import { writeImage } from '../helpers/images.js';

let tmp: { path: string; cleanup: () => Promise<void> };
let repo: string;

beforeAll(async () => {
  tmp = await tempDir('snaptier-serve-usage-');
  repo = join(tmp.path, 'repo');
  const image = join(tmp.path, 'image');
  await writeImage(image, 3 << 20, 4);
  for (const args of [
    ['init', '--repo', repo],
    ['backup', '--repo', repo, '--volume', 'v', '--source', image],
  ]) {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('serve refuses', () => {
  const base = () => ['serve', '--repo', repo, '--volume', 'v', '--snapshot', 'latest', '--listen', `unix:${join(tmp.path, 's.sock')}`];

  it.each([
    [['--writable'], /--writable needs --overlay/],
    [['--writable', '--overlay', 'x', '--hydrate', 'y'], /exclude each other/],
    [['--overlay', 'x'], /--overlay is for --writable/],
    [['--cache-mib', '0'], /at least 1/],
  ])('%j', async (extra, why) => {
    const r = await run([...base(), ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
  });

  it('a listen address that is not one, and a snapshot that does not exist', async () => {
    const bad = await run(['serve', '--repo', repo, '--volume', 'v', '--snapshot', 'latest', '--listen', 'nowhere']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/HOST:PORT or unix:PATH/)]);
    const missing = await run([...base().slice(0, 5), '--snapshot', 'ffffffff', ...base().slice(7)]);
    expect(missing.code).toBe(2);
  });

  it('a hydration target that holds something else, leaving it as it was', async () => {
    const target = join(tmp.path, 'precious');
    await writeFile(target, 'somebody else’s data');
    const r = await run([...base(), '--hydrate', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not an overlay or target of this snapshot/);
    expect(await readFile(target, 'utf8')).toBe('somebody else’s data');
  });
});
