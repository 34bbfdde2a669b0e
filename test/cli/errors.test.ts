// How the command line fails (CLI.md, "Exit codes" and "Errors go to stderr as one line"):
// each bad input, missing thing or conflict gets its exit code and one stderr line naming what
// is concerned, with no stack trace unless --debug asks for one; rejected runs change nothing.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { STACK_FRAME, expectOneLineError } from '../helpers/cli-expect.js';
import { writeImage } from '../helpers/images.js';

const MiB = 1024 * 1024;
const IMAGE_SIZE = MiB + 4321;

interface Fixture {
  dir: string;
  repo: string;
  image: string;
  ids: string[];
}

interface Case {
  name: string;
  args: (f: Fixture) => string[];
  env?: Record<string, string | undefined>;
  code: number;
  needles: (f: Fixture) => string[];
}

describe('CLI errors', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  const f: Fixture = { dir: '', repo: '', image: '', ids: [] };
  const file = (name: string) => join(f.dir, name);

  beforeAll(async () => {
    tmp = await tempDir('snaptier-errors-');
    f.dir = tmp.path;
    f.repo = join(f.dir, 'repo');
    f.image = join(f.dir, 'image');
    await writeImage(f.image, IMAGE_SIZE, 101);
    await runJson(['init', '--repo', f.repo]);
    for (const time of ['2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z']) {
      f.ids.push((await runJson(['backup', '--repo', f.repo, '--volume', 'vol1', '--source', f.image, '--time', time])).snapshot);
    }
    await writeFile(file('wrong-password'), 'not-the-password\n');
    await writeFile(file('not-json.json'), '[{"offset": 0, "length": 4096}');
    await writeFile(file('object.json'), '{"offset": 0, "length": 4096}');
    await writeFile(file('no-length.json'), '[{"offset": 0}]');
    await writeFile(file('strings.json'), '[{"offset": "0", "length": "4096"}]');
    await writeFile(file('negative.json'), '[{"offset": 8192, "length": -4096}]');
    await writeFile(file('past-end.json'), JSON.stringify([{ offset: 0, length: 4096 }, { offset: IMAGE_SIZE - 100, length: 4096 }]));
    await writeFile(file('good.json'), '[{"offset": 0, "length": 4096}]');
    await mkdir(file('a-directory'));
  });
  afterAll(async () => tmp?.cleanup());

  /** A hex id of 8 digits that is not a prefix of any snapshot (first digit unused by all). */
  const unknownId = () => {
    const used = new Set(f.ids.map((id) => id[0]));
    const first = [...'0123456789abcdef'].find((d) => !used.has(d))!;
    return `${first}badc0de`;
  };
  const R = (x: Fixture) => ['--repo', x.repo];
  const longName = `v${'x'.repeat(128)}`;

  const cases: Case[] = [
    {
      name: 'wrong password (SNAPTIER_PASSWORD)',
      args: (x) => ['snapshots', ...R(x)],
      env: { SNAPTIER_PASSWORD: 'not-the-password' },
      code: 2,
      needles: (x) => ['wrong password', x.repo],
    },
    {
      name: 'wrong password (--password-file)',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', 'latest', '--target', join(x.dir, 'out'), '--password-file', join(x.dir, 'wrong-password')],
      env: { SNAPTIER_PASSWORD: undefined },
      code: 2,
      needles: () => ['wrong password'],
    },
    {
      name: 'encrypted repository and no password',
      args: (x) => ['snapshots', ...R(x)],
      env: { SNAPTIER_PASSWORD: undefined },
      code: 2,
      needles: () => ['SNAPTIER_PASSWORD', '--password-file'],
    },
    {
      name: 'unreadable --password-file',
      args: (x) => ['snapshots', ...R(x), '--password-file', join(x.dir, 'no-such-password-file')],
      code: 2,
      needles: (x) => [join(x.dir, 'no-such-password-file')],
    },
    {
      name: 'unknown volume (restore)',
      args: (x) => ['restore', ...R(x), '--volume', 'no-such-volume', '--snapshot', 'latest', '--target', join(x.dir, 'out')],
      code: 2,
      needles: () => ['no-such-volume'],
    },
    {
      name: 'unknown volume (diff)',
      args: (x) => ['diff', ...R(x), '--volume', 'no-such-volume', '--from', x.ids[0]!, '--to', x.ids[1]!],
      code: 2,
      needles: () => ['no-such-volume'],
    },
    {
      name: 'unknown snapshot id (restore)',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', unknownId(), '--target', join(x.dir, 'out')],
      code: 2,
      needles: () => [unknownId(), 'vol1'],
    },
    {
      name: 'unknown snapshot id (diff --to)',
      args: (x) => ['diff', ...R(x), '--volume', 'vol1', '--from', x.ids[0]!, '--to', unknownId()],
      code: 2,
      needles: () => [unknownId(), 'vol1'],
    },
    {
      name: 'full-length id of a snapshot of another volume',
      args: (x) => ['restore', ...R(x), '--volume', 'vol2', '--snapshot', x.ids[0]!, '--target', join(x.dir, 'out')],
      code: 2,
      needles: () => ['vol2'],
    },
    {
      name: 'invalid snapshot id (not hex)',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', 'zz12', '--target', join(x.dir, 'out')],
      code: 2,
      needles: () => ['zz12'],
    },
    {
      name: 'invalid snapshot id (too long)',
      args: (x) => ['diff', ...R(x), '--volume', 'vol1', '--from', `${x.ids[0]!}0`, '--to', 'latest'],
      code: 2,
      needles: (x) => [`${x.ids[0]!}0`],
    },
    {
      name: '--changed-extents file that is not JSON',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'not-json.json')],
      code: 2,
      needles: (x) => ['--changed-extents', join(x.dir, 'not-json.json'), 'not JSON'],
    },
    {
      name: '--changed-extents file holding an object, not an array',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'object.json')],
      code: 2,
      needles: (x) => ['--changed-extents', join(x.dir, 'object.json')],
    },
    {
      name: '--changed-extents entry without a length',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'no-length.json')],
      code: 2,
      needles: (x) => [join(x.dir, 'no-length.json'), '[0].length'],
    },
    {
      name: '--changed-extents entry with strings for numbers',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'strings.json')],
      code: 2,
      needles: (x) => [join(x.dir, 'strings.json'), '[0].offset'],
    },
    {
      name: '--changed-extents entry with a negative length',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'negative.json')],
      code: 2,
      needles: (x) => [join(x.dir, 'negative.json'), '[0].length'],
    },
    {
      name: '--changed-extents extent past the end of the source',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'past-end.json')],
      code: 2,
      needles: (x) => [join(x.dir, 'past-end.json'), 'extent 1', `offset ${IMAGE_SIZE - 100}`, `${IMAGE_SIZE} bytes`],
    },
    {
      name: '--changed-extents extent past the end, on the first backup of a volume',
      args: (x) => ['backup', ...R(x), '--volume', 'fresh-volume', '--source', x.image, '--changed-extents', join(x.dir, 'past-end.json')],
      code: 2,
      needles: (x) => [join(x.dir, 'past-end.json'), 'extent 1'],
    },
    {
      name: 'unknown volume (snapshots --volume)',
      args: (x) => ['snapshots', ...R(x), '--volume', 'no-such-volume'],
      code: 2,
      needles: () => ['no-such-volume'],
    },
    {
      name: 'unknown command',
      args: () => ['frobnicate', '--repo', 'x'],
      code: 2,
      needles: () => ['frobnicate', 'backup'],
    },
    {
      name: '--changed-extents file that does not exist',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--changed-extents', join(x.dir, 'no-such.json')],
      code: 2,
      needles: (x) => ['--changed-extents', join(x.dir, 'no-such.json')],
    },
    {
      name: 'source file that does not exist',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', join(x.dir, 'no-such-image')],
      code: 2,
      needles: (x) => [join(x.dir, 'no-such-image')],
    },
    {
      name: 'source that is a directory',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', join(x.dir, 'a-directory')],
      code: 2,
      needles: (x) => [join(x.dir, 'a-directory'), 'directory'],
    },
    {
      name: '--previous-source that does not exist',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--previous-source', join(x.dir, 'no-such-previous')],
      code: 2,
      needles: (x) => [join(x.dir, 'no-such-previous')],
    },
    {
      name: 'unknown flag',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--no-such-flag'],
      code: 2,
      needles: () => ['--no-such-flag'],
    },
    {
      name: 'missing --volume',
      args: (x) => ['backup', ...R(x), '--source', x.image],
      code: 2,
      needles: () => ['--volume'],
    },
    {
      name: 'missing --target',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', 'latest'],
      code: 2,
      needles: () => ['--target'],
    },
    {
      name: 'missing --repo (and no SNAPTIER_REPOSITORY)',
      args: () => ['snapshots', '--volume', 'vol1'],
      env: { SNAPTIER_REPOSITORY: undefined },
      code: 2,
      needles: () => ['--repo', 'SNAPTIER_REPOSITORY'],
    },
    {
      name: 'missing --to',
      args: (x) => ['diff', ...R(x), '--volume', 'vol1', '--from', x.ids[0]!],
      code: 2,
      needles: () => ['--to'],
    },
    {
      name: '--previous-source together with --changed-extents',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--previous-source', x.image, '--changed-extents', join(x.dir, 'good.json')],
      code: 2,
      needles: () => ['--previous-source', '--changed-extents'],
    },
    {
      name: "volume name with '/'",
      args: (x) => ['backup', ...R(x), '--volume', 'tenant/db01', '--source', x.image],
      code: 2,
      needles: () => ['tenant/db01'],
    },
    {
      name: "volume name '..'",
      args: (x) => ['backup', ...R(x), '--volume', '..', '--source', x.image],
      code: 2,
      needles: () => ['".."'],
    },
    {
      name: "volume name holding '..'",
      args: (x) => ['restore', ...R(x), '--volume', 'a/../vol1', '--snapshot', 'latest', '--target', join(x.dir, 'out')],
      code: 2,
      needles: () => ['a/../vol1'],
    },
    {
      name: 'volume name longer than 128 bytes',
      args: (x) => ['backup', ...R(x), '--volume', longName, '--source', x.image],
      code: 2,
      needles: () => ['128 bytes', longName.slice(0, 32)],
    },
    {
      name: 'bad volume name in snapshots --volume',
      args: (x) => ['snapshots', ...R(x), '--volume', '../vol1'],
      code: 2,
      needles: () => ['../vol1'],
    },
    {
      name: 'repository that does not exist',
      args: (x) => ['snapshots', '--repo', join(x.dir, 'no-such-repo')],
      code: 2,
      needles: (x) => [join(x.dir, 'no-such-repo'), 'init'],
    },
    {
      name: 'backup to a repository that does not exist',
      args: (x) => ['backup', '--repo', join(x.dir, 'no-such-repo'), '--volume', 'vol1', '--source', x.image],
      code: 2,
      needles: (x) => [join(x.dir, 'no-such-repo'), 'init'],
    },
    {
      name: 'existing directory that is not a repository',
      args: (x) => ['check', '--repo', join(x.dir, 'a-directory')],
      code: 2,
      needles: (x) => [join(x.dir, 'a-directory'), 'init'],
    },
    {
      name: 'init on an existing repository (conflict)',
      args: (x) => ['init', ...R(x)],
      code: 4,
      needles: (x) => [x.repo, 'already'],
    },
    {
      name: '--offset without --length',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', 'latest', '--target', join(x.dir, 'out'), '--offset', '4096'],
      code: 2,
      needles: () => ['--offset', '--length'],
    },
    {
      name: 'negative --offset',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', 'latest', '--target', join(x.dir, 'out'), '--offset=-5', '--length', '1'],
      code: 2,
      needles: () => ['--offset', '-5'],
    },
    {
      name: '--length that is not a number',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', 'latest', '--target', join(x.dir, 'out'), '--offset', '0', '--length', '4k'],
      code: 2,
      needles: () => ['--length', '4k'],
    },
    {
      name: 'range past the end of the snapshot',
      args: (x) => ['restore', ...R(x), '--volume', 'vol1', '--snapshot', x.ids[1]!, '--target', join(x.dir, 'out'), '--offset', String(IMAGE_SIZE - 10), '--length', '11'],
      code: 2,
      needles: (x) => [x.ids[1]!.slice(0, 8), `${IMAGE_SIZE - 10}+11`, `${IMAGE_SIZE} bytes`],
    },
    {
      name: '--time that is not ISO 8601',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--time', 'yesterday'],
      code: 2,
      needles: () => ['--time', 'yesterday'],
    },
    {
      name: '--label without =',
      args: (x) => ['backup', ...R(x), '--volume', 'vol1', '--source', x.image, '--label', 'novalue'],
      code: 2,
      needles: () => ['--label', 'novalue'],
    },
  ];

  // Concurrent: each case is one short process, and most of its time is Node starting up.
  it.concurrent.each(cases)('$name: exit $code, one line naming it', async (c) => {
    const r = await run(c.args(f), c.env ?? {});
    expectOneLineError(r, c.code, c.needles(f), c.name);
  });

  it('an ambiguous id prefix: exit 2 naming the prefix and the volume', async () => {
    // Snapshot ids are random: back up until two share their first hex digit (at most 17).
    const firsts = new Map<string, string>();
    let prefix: string | null = null;
    for (let i = 0; i < 17 && prefix === null; i++) {
      const id: string = (await runJson(['backup', '--repo', f.repo, '--volume', 'amb', '--source', f.image, '--changed-extents', file('good.json')])).snapshot;
      if (firsts.has(id[0]!)) prefix = id[0]!;
      firsts.set(id[0]!, id);
    }
    expect(prefix).not.toBeNull();
    const restore = await run(['restore', '--repo', f.repo, '--volume', 'amb', '--snapshot', prefix!, '--target', file('out')]);
    expectOneLineError(restore, 2, [`prefix ${prefix}`, 'ambiguous', 'amb']);
    const diff = await run(['diff', '--repo', f.repo, '--volume', 'amb', '--from', prefix!, '--to', 'latest']);
    expectOneLineError(diff, 2, [`prefix ${prefix}`, 'ambiguous', 'amb']);
  });

  it('errors under --json: one error document on stdout, the same one line on stderr', async () => {
    const r = await run(['restore', '--repo', f.repo, '--volume', 'vol1', '--snapshot', unknownId(), '--target', file('out'), '--json']);
    // CLI.md, Turn 2: {"error": {"exitCode", "message"}} on stdout as well as the line on stderr.
    expectOneLineError({ ...r, stdout: '' }, 2, [unknownId()]);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: 2, message: r.stderr.replace(/^snaptier: /, '').trim() } });
  });

  it('--debug adds the stack trace after the same first line', async () => {
    const args = ['restore', '--repo', f.repo, '--volume', 'vol1', '--snapshot', unknownId(), '--target', file('out')];
    const plain = await run(args);
    const debug = await run([...args, '--debug']);
    expect(debug.code).toBe(2);
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr.split('\n')[0]);
    expect(debug.stderr).toMatch(STACK_FRAME);
    expect(debug.stderr.split('\n').length).toBeGreaterThan(3);
    // A usage error found while parsing flags has a trace under --debug as well.
    const flagErr = await run(['backup', '--repo', f.repo, '--volume', 'vol1', '--source', f.image, '--no-such-flag', '--debug']);
    expect(flagErr.code).toBe(2);
    expect(flagErr.stderr).toMatch(/^snaptier: [^\n]*--no-such-flag[^\n]*\n/);
    expect(flagErr.stderr).toMatch(STACK_FRAME);
  });

  it('rejected runs changed nothing: the two snapshots of vol1 are all there is, and no repository was created', async () => {
    const list = await runJson(['snapshots', '--repo', f.repo]);
    expect(list.filter((s: { volume: string }) => s.volume !== 'amb').map((s: { id: string }) => s.id)).toEqual(f.ids);
    expect(existsSync(join(f.dir, 'no-such-repo'))).toBe(false);
    expect(await readdir(file('a-directory'))).toEqual([]);
    const check = await runJson(['check', '--repo', f.repo]);
    expect(check).toMatchObject({ ok: true, errors: [] });
    expect(check.warnings).toEqual([]);
  });
});
