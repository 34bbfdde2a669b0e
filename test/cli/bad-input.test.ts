// Bad input the other suites do not reach: a source that shrinks while it is being read, and a
// repository written by a newer snaptier. Each is one clear line and an exit code, never a
// crash, and nothing half-done is listed afterwards.
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/defaults.js';
import { decodeConfig, encodeConfig } from '../../src/format/codec.js';
import { FORMAT_VERSION } from '../../src/format/types.js';
import { run, runJson, start } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/cli-expect.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { Rng } from '../helpers/random.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

describe('bad input', () => {
  const s3 = useS3rver('snaptier-bad-input-');

  it('a source that shrinks during the backup: exit 2 naming it and the byte, no snapshot listed, check passes', async () => {
    const bucket = s3.bucket('shrink');
    const { env } = s3;
    const url = (ep: string) => `s3://${bucket}/r?endpoint=${encodeURIComponent(ep)}&path-style=true&atomic-create=false`;
    const image = join(s3.dir, 'shrinking.img');
    await writeFile(image, new Rng(3).bytes(128 << 20));
    await runJson(['init', '--repo', url(s3.server.endpoint), '--pack-size', '1'], env);
    // The first data pack is held at the proxy: the backup stops reading a few MiB in, the image
    // is cut to 8 MiB behind its back, and then the backup goes on.
    const gate = await startGateProxy(s3.server.endpoint, (req) => req.method === 'PUT' && /\/data\//.test(req.url ?? ''));
    try {
      const backup = start(['backup', '--repo', url(gate.endpoint), '--volume', 'v', '--source', image, '--json'], env).ended;
      await gate.held;
      await truncate(image, 8 << 20);
      gate.open();
      const e = await backup;
      expectOneLineError({ code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr }, 2, ['shrank during the backup', image]);
    } finally {
      await gate.close();
    }
    const repo = url(s3.server.endpoint);
    expect((await run(['snapshots', '--repo', repo, '--volume', 'v'], env)).code).toBe(2); // no such volume: nothing committed
    const c = await runJson(['check', '--repo', repo], env);
    expect(c).toMatchObject({ ok: true, errors: [] });
  });

  it('a repository written by a newer snaptier: exit 2 naming the version, for every command', async () => {
    const repo = join(s3.dir, 'newer');
    await runJson(['init', '--repo', repo]);
    const configPath = join(repo, 'config');
    const config = decodeConfig(await readFile(configPath), LIMITS.configBytes);
    await writeFile(configPath, encodeConfig({ ...config, version: FORMAT_VERSION + 1 }));
    const image = join(s3.dir, 'small.img');
    await writeFile(image, new Rng(4).bytes(1 << 20));
    for (const args of [
      ['snapshots', '--repo', repo],
      ['backup', '--repo', repo, '--volume', 'v', '--source', image],
      ['check', '--repo', repo],
      ['prune', '--repo', repo],
    ]) {
      expectOneLineError(await run(args, s3.env), 2, [`format version ${FORMAT_VERSION + 1}`]);
    }
  });
});
