// Keys (issue #13 item 8) through the binary: several passwords per repository, each wrapping the
// same master key; add, list, remove, passwd; the last key stays; rotation never rewrites data;
// a repository made before key objects still opens and is migrated by the first key change;
// password sources; and no environment variable weakens the KDF of a repository made by the
// real binary.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { decodeConfig } from '../../src/format/codec.js';
import { REAL_BIN, run, runJson, tempDir } from '../helpers/cli.js';
import { writeImage } from '../helpers/images.js';
import { listObjects } from '../helpers/repo-files.js';

const MiB = 1024 * 1024;

describe('key list|add|remove|passwd', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let repo: string;
  let image: string;
  const pw = (name: string) => join(tmp.path, `${name}.pw`);
  const as = (password: string) => ({ SNAPTIER_PASSWORD: password });

  beforeAll(async () => {
    tmp = await tempDir();
    repo = join(tmp.path, 'repo');
    image = join(tmp.path, 'vol.img');
    await writeImage(image, 4 * MiB, 13);
    for (const n of ['two', 'three', 'empty']) await writeFile(pw(n), n === 'empty' ? '\n' : `${n}\n`);
    await runJson(['init', '--repo', repo], as('one'));
    await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image], as('one'));
  });
  afterAll(() => tmp.cleanup());

  it('adds a second password that opens the same data, lists both, marks the current one', async () => {
    const before = await listObjects(repo);
    const added = await runJson(['key', 'add', '--repo', repo, '--new-password-file', pw('two')], as('one'));
    expect(added.added).toMatch(/^[0-9a-f]{32}$/);
    const keys = await runJson(['key', 'list', '--repo', repo], as('two'));
    expect(keys).toHaveLength(2);
    expect(keys.filter((k: any) => k.current).map((k: any) => k.id)).toEqual([added.added]);
    for (const k of keys) {
      expect(Object.keys(k).sort()).toEqual(['created', 'current', 'host', 'id']);
      expect(k.created).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    // Nothing but one key object was written: no data, no manifest rewritten.
    const after = await listObjects(repo);
    // The first change moves the config's key into keys/ (same id) and rewrites the config.
    const fresh = [...after.keys()].filter((k) => !before.has(k) && !k.startsWith('locks/')).sort();
    const first = keys.find((k: any) => !k.current).id;
    expect(fresh).toEqual([`keys/${added.added}`, `keys/${first}`].sort());
    for (const [k, size] of before) if (!k.startsWith('locks/') && k !== 'config') expect(after.get(k), k).toBe(size);
    const snaps = await runJson(['snapshots', '--repo', repo], as('two'));
    expect(snaps).toHaveLength(1);
  });

  it('passwd replaces the key in use; the old password stops working, data is untouched', async () => {
    const before = await listObjects(repo);
    const r = await runJson(['key', 'passwd', '--repo', repo, '--new-password-file', pw('three')], as('two'));
    const wrong = await run(['snapshots', '--repo', repo], as('two'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong password');
    const restored = join(tmp.path, 'out.img');
    await runJson(['restore', '--repo', repo, '--volume', 'v', '--snapshot', 'latest', '--target', restored], as('three'));
    // Buffer.equals, not toEqual: a deep comparison of 4 MiB element by element takes a minute.
    expect((await readFile(restored)).equals(await readFile(image))).toBe(true);
    const after = await listObjects(repo);
    for (const [k, size] of before) if (k.startsWith('data/') || k.startsWith('tree/') || k.startsWith('snapshots/')) expect(after.get(k), k).toBe(size);
    expect(after.has(`keys/${r.removed}`)).toBe(false);
    expect(after.has(`keys/${r.added}`)).toBe(true);
  });

  it('remove takes a key by prefix, the one in use too while another remains, and never the last', async () => {
    await writeFile(pw('four'), 'four\n');
    await runJson(['key', 'add', '--repo', repo, '--new-password-file', pw('four')], as('one'));
    const keys = await runJson(['key', 'list', '--repo', repo], as('four'));
    expect(keys).toHaveLength(3);
    const current = keys.find((k: any) => k.current).id as string;
    const three = (await runJson(['key', 'list', '--repo', repo], as('three'))).find((k: any) => k.current).id as string;
    // The rotation runbook's last step: the old key removed while opened with the old password.
    const inUse = await runJson(['key', 'remove', '--repo', repo, three.slice(0, 8)], as('three'));
    expect(inUse.removed).toBe(three);
    expect((await run(['snapshots', '--repo', repo], as('three'))).code).toBe(2);
    const other = keys.find((k: any) => !k.current && k.id !== three).id as string;
    const gone = await runJson(['key', 'remove', '--repo', repo, other.slice(0, 8)], as('four'));
    expect(gone.removed).toBe(other);
    expect(await runJson(['key', 'list', '--repo', repo], as('four'))).toHaveLength(1);
    const last = await run(['key', 'remove', '--repo', repo, current], as('four'));
    expect(last.code).toBe(2);
    expect(last.stderr).toContain('last key');
    const unknown = await run(['key', 'remove', '--repo', repo, 'ffffffff'], as('four'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('ffffffff');
  });

  it('reads passwords from --password-file, SNAPTIER_PASSWORD_FILE and --password-command', async () => {
    const keys = await runJson(['key', 'list', '--repo', repo], as('four'));
    await writeFile(pw('one'), 'four\n');
    const none = { SNAPTIER_PASSWORD: undefined };
    expect(await runJson(['key', 'list', '--repo', repo, '--password-file', pw('one')], none)).toEqual(keys);
    expect(await runJson(['key', 'list', '--repo', repo], { ...none, SNAPTIER_PASSWORD_FILE: pw('one') })).toEqual(keys);
    expect(await runJson(['key', 'list', '--repo', repo, '--password-command', 'printf four'], none)).toEqual(keys);
    const failing = await run(['snapshots', '--repo', repo, '--password-command', 'echo no vault >&2; exit 3'], none);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain('no vault');
    const empty = await run(['key', 'add', '--repo', repo, '--new-password-file', pw('empty')], as('four'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty');
  });

  it('init keeps the format-1 layout (the one key in the config, no keys/) and the first change moves it to keys/', async () => {
    const old = join(tmp.path, 'old');
    await runJson(['init', '--repo', old], as('one'));
    await runJson(['backup', '--repo', old, '--volume', 'v', '--source', image], as('one'));
    // Exactly what earlier versions wrote and read (test/fixtures hold repositories they made).
    expect(existsSync(join(old, 'keys'))).toBe(false);
    expect(decodeConfig(await readFile(join(old, 'config')), 1 << 16).key?.wrapped.length).toBe(12 + 64 + 16);
    const listed = await runJson(['key', 'list', '--repo', old], as('one'));
    expect(listed).toHaveLength(1);
    expect(listed[0].current).toBe(true);
    await writeFile(pw('two'), 'two\n');
    await runJson(['key', 'passwd', '--repo', old, '--new-password-file', pw('two')], as('one'));
    expect((await run(['snapshots', '--repo', old], as('one'))).code).toBe(2);
    expect(await runJson(['snapshots', '--repo', old], as('two'))).toHaveLength(1);
    expect(decodeConfig(await readFile(join(old, 'config')), 1 << 16).key?.wrapped.length).toBe(0);
    expect(await readdir(join(old, 'keys'))).toHaveLength(1);
  });

  it('the real binary makes full-cost keys whatever the environment says (the old SNAPTIER_KDF_LOG2N seam is gone)', async () => {
    const real = join(tmp.path, 'real');
    const t0 = Date.now();
    const init = await run(['init', '--repo', real, '--json'], { SNAPTIER_PASSWORD: 'one', SNAPTIER_KDF_LOG2N: '10' }, undefined, REAL_BIN);
    const ms = Date.now() - t0;
    expect(init.code, init.stderr).toBe(0);
    const key = decodeConfig(await readFile(join(real, 'config')), 1 << 16).key;
    expect(key?.log2N).toBe(15);
    expect(key?.r).toBe(8);
    console.log(`init with the real binary and full scrypt cost: ${ms} ms`);
  });
});
