// Azurite's blob service as a child process on 127.0.0.1 and a free port, with its workspace in a
// temporary directory that stop() removes. Measured quirks: README.md, "What the test servers cannot show".
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The emulator's fixed development account, as Azurite's README documents it. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** The blob service URL of the account: http://127.0.0.1:PORT/devstoreaccount1 */
  endpoint: string;
  connectionString: string;
  account: string;
  key: string;
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
/** A port found free can be taken before Azurite binds it; then start again on another. */
const START_ATTEMPTS = 3;

export async function startAzurite(): Promise<Azurite> {
  const main = await azuriteBlobMain();
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const location = await mkdtemp(join(tmpdir(), 'snaptier-azurite-'));
    try {
      return await startOnce(main, location, await freePort());
    } catch (err) {
      lastError = err;
      await rm(location, { recursive: true, force: true });
    }
  }
  throw lastError;
}

async function startOnce(main: string, location: string, port: number): Promise<Azurite> {
  const args = [
    main,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(port),
    '--location',
    location,
    // @azure/storage-blob 12.32 sends an API version Azurite 3.35 does not know.
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // A test worker that dies without stop() must not leave the server behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await listening(child, port);
    await answers(port);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', killOnExit);
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    account: AZURITE_ACCOUNT,
    key: AZURITE_KEY,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`,
    stop: () =>
      (stopping ??= (async () => {
        // Nothing in the workspace is kept, so no graceful shutdown is needed (and Azurite's waits
        // for idle keep-alive connections to close).
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
        process.removeListener('exit', killOnExit);
        await rm(location, { recursive: true, force: true });
      })()),
  };
}

/** Resolves on Azurite's "successfully listens" line; rejects when it exits first or takes too long. */
function listening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start on port ${port} within ${START_TIMEOUT_MS} ms: ${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/successfully listens on/.test(output)) done();
    };
    const onExit = (code: number | null, signal: string | null): void => {
      fail(new Error(`Azurite exited (${code ?? signal}) before listening on port ${port}: ${output.trim()}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining the pipes so a chatty server never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const done = (): void => {
      cleanup();
      resolve();
    };
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** One unauthenticated request: any HTTP answer (403 here) proves the blob service is serving. */
function answers(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/${AZURITE_ACCOUNT}?comp=list`, method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The file the package's `azurite-blob` bin names, found from its package.json. */
async function azuriteBlobMain(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('azurite/package.json');
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { bin?: Record<string, string> };
  const bin = pkg.bin?.['azurite-blob'];
  if (!bin) throw new Error(`${pkgPath} declares no azurite-blob bin`);
  return join(dirname(pkgPath), bin);
}
