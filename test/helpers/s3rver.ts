// Starts s3rver as a child process (a real HTTP server, as a deployment would talk to) on
// 127.0.0.1 with a port the OS picks (s3rver listens on port 0 and prints the port) and a
// temporary data directory; stop() ends it and removes the directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { tempDir } from './cli.js';

export interface S3rverHandle {
  endpoint: string;
  /** s3rver accepts only this access key; it does not check the secret. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

export async function startS3rver(): Promise<S3rverHandle> {
  // s3rver's CLI, with its object writes made atomic as on every real S3 (see s3rver-main.cjs).
  const main = join(import.meta.dirname, 's3rver-main.cjs');
  const dir = await tempDir('snaptier-s3rver-');
  const child = spawn(process.execPath, [main, '--directory', dir.path, '--address', '127.0.0.1', '--port', '0', '--silent'], {
    // s3rver's ListObjectsV2 continuation token uses DES, which OpenSSL 3 only has in its legacy
    // provider: without it every truncated page is a 500 (research/servers.md).
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test process that dies without its afterAll must not leave the server behind.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await kill(child);
    await dir.cleanup();
  };
  try {
    // The CLI prints "S3rver listening on ADDRESS:PORT" once its server listens.
    const port = await listeningPort(child);
    const endpoint = `http://127.0.0.1:${port}`;
    await answers(endpoint);
    return { endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms: ${err}`)), START_TIMEOUT_MS);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      reject(e);
    };
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on [^\s:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`s3rver exited with code ${code} before listening: ${err}`)));
    child.once('error', fail);
  });
}

/** Resolves once the server answers an HTTP request (any status: ListBuckets without credentials is refused). */
function answers(endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, { method: 'GET' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
