// The Azure adapter against a server that stops answering: the SDK has no client-side timeout of
// its own, so without the store's agent (azure-agent.ts) these requests would wait for ever. A
// request on which nothing moves for the idle time fails as a retriable StoreError, and close()
// lets the process end.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AzureStore } from '../../src/store/azure/azure-store.js';
import { StoreError } from '../../src/store/object-store.js';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../helpers/azurite.js';
import { listAll } from './contract.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** A server that reads each request and then does what `answer` does (possibly nothing, for ever). */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/${AZURITE_ACCOUNT}`;
}

const IDLE_MS = 500;

function store(endpoint: string): AzureStore {
  return new AzureStore(`azure://stalled/repo?account=${AZURITE_ACCOUNT}&endpoint=${encodeURIComponent(endpoint)}`, {
    env: { AZURE_STORAGE_KEY: AZURITE_KEY },
    timeouts: { connectMs: IDLE_MS, idleMs: IDLE_MS },
  });
}

async function failure(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => new Error('expected the operation to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('AzureStore when the server stops answering', () => {
  it('fails every operation that gets no answer with a retriable error once nothing moved for the idle time', async () => {
    const s = store(await serve(() => {}));
    for (const [op, attempt] of [
      ['get', () => s.get('data/k')],
      ['head', () => s.head('data/k')],
      ['put', () => s.put('data/k', [Buffer.alloc(1000, 1)])],
      ['list', () => listAll(s, 'data/')],
      ['delete', () => s.delete('data/k')],
    ] as const) {
      const started = Date.now();
      const err = await failure(attempt());
      expect(err.retriable, `${op}: ${err.message}`).toBe(true);
      expect(err.message, op).toMatch(/timed out/);
      expect(Date.now() - started, op).toBeLessThan(IDLE_MS * 10);
    }
    await s.close();
  });

  it('fails a download that stalls half-way with a retriable error', async () => {
    const body = Buffer.alloc(100_000, 7);
    const s = store(
      await serve((_req, res) => {
        res.writeHead(200, {
          'content-length': body.length,
          'content-type': 'application/octet-stream',
          'x-ms-blob-type': 'BlockBlob',
          etag: '"0x8D0"',
          'last-modified': new Date().toUTCString(),
        });
        res.write(body.subarray(0, body.length / 2));
      }),
    );
    const err = await failure(s.get('data/pack'));
    expect(err.retriable, err.message).toBe(true);
    expect(err.message).toMatch(/data\/pack/);
    await s.close();
  });
});
