// A repository on a real object-store server for one test file, holding one snapshot of a
// generated image: the server (s3rver or Azurite) starts while the image is written, then the CLI
// inits the repository and backs the image up. After the file's tests the server is stopped and
// everything removed. test/nbd/serve-s3 and serve-azure serve that snapshot.
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Azurite, startAzurite } from './azurite.js';
import { run, tempDir } from './cli.js';
import { writeImage } from './images.js';
import { rawClient, removeBucket, uniqueBucket } from './s3-bucket.js';
import { type S3rverHandle, startS3rver } from './s3rver.js';

export interface RepoOnServer {
  /** The repository URL, for the CLI. */
  repo: string;
  /** What the CLI needs in its environment to reach the server. */
  env: Record<string, string>;
  /** The file's temporary folder. */
  dir: string;
  /** The image the snapshot was taken of. */
  image: string;
  /** The snapshot's id. */
  snapshot: string;
  /** Runs the CLI with --json against the server; fails the test on a non-zero exit. */
  cli: (args: string[]) => Promise<any>;
}

export interface RepoSpec {
  server: 's3rver' | 'azurite';
  volume: string;
  size: number;
  seed: number;
}

interface Backend {
  repo: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
}

async function s3rverBackend(): Promise<Backend> {
  const s3: S3rverHandle = await startS3rver();
  const bucket = uniqueBucket('serve');
  return {
    repo: `s3://${bucket}/repo?endpoint=${encodeURIComponent(s3.endpoint)}&path-style=true&atomic-create=false`,
    env: { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: 'us-east-1' },
    stop: async () => {
      const client = rawClient(s3);
      await removeBucket(client, bucket).catch(() => {});
      client.destroy();
      await s3.stop();
    },
  };
}

async function azuriteBackend(): Promise<Backend> {
  const azurite: Azurite = await startAzurite();
  return {
    repo: `azure://serve/repo?account=${azurite.account}&endpoint=${encodeURIComponent(azurite.endpoint)}`,
    env: { AZURE_STORAGE_KEY: azurite.key },
    stop: () => azurite.stop(),
  };
}

/** Call at the top level of a test file; the fields are set once its beforeAll has run. */
export function useRepoOnServer(spec: RepoSpec): RepoOnServer {
  const suite = {} as RepoOnServer;
  let backend: Backend | undefined;
  let tmp: { path: string; cleanup: () => Promise<void> } | undefined;
  suite.cli = async (args) => {
    const r = await run([...args, '--json'], suite.env);
    expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    const starting = (spec.server === 's3rver' ? s3rverBackend : azuriteBackend)();
    // The server starts while the image is written; a failed start must still be stopped later.
    starting.then((b) => (backend = b)).catch(() => {});
    tmp = await tempDir(`snaptier-serve-${spec.server}-`);
    suite.dir = tmp.path;
    suite.image = join(tmp.path, 'image');
    await writeImage(suite.image, spec.size, spec.seed);
    const b = await starting;
    suite.repo = b.repo;
    suite.env = b.env;
    await suite.cli(['init', '--repo', suite.repo]);
    suite.snapshot = (await suite.cli(['backup', '--repo', suite.repo, '--volume', spec.volume, '--source', suite.image])).snapshot;
  }, 300_000);
  afterAll(async () => {
    await backend?.stop();
    await tmp?.cleanup();
  });
  return suite;
}
