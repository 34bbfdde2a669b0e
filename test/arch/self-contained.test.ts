// A fresh clone needs nothing beside it (issue #13 item 3): no file of the repository points at
// the shared folder next to the lead's clone (scripts, helpers, docs alike), and the scripts the
// tests start live in the repository.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage']);
// Built from parts, so that this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\./', 'shared', '|/work/', 'shared'].join(''));

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* files(path);
    else if (e.isFile()) yield path;
  }
}

describe('the repository stands alone', () => {
  it('no file refers to the shared folder outside the clone', async () => {
    const offenders: string[] = [];
    for await (const path of files(ROOT)) {
      if (path.endsWith('package-lock.json') || /\.(png|jpg|gz|img)$/.test(path)) continue;
      const text = await readFile(path, 'utf8');
      text.split('\n').forEach((line, i) => {
        if (OUTSIDE.test(line)) offenders.push(`${relative(ROOT, path)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the Ceph test cluster scripts are part of the repository', () => {
    for (const s of ['scripts/ceph-up.sh', 'scripts/ceph-down.sh']) expect(existsSync(join(ROOT, s)), s).toBe(true);
  });
});
