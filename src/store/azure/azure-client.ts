// Builds the SDK container client for an AzureLocation from the environment, choosing the
// credential in a fixed order. @azure/identity is imported only when its chain is the one used.
import type { Agent } from 'node:http';
import {
  AnonymousCredential,
  BlobServiceClient,
  type ContainerClient,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { UsageError } from '../../errors.js';
import { type AzureLocation, isPathStyleHost } from './azure-url.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The connection pool for requests to a blob service URL (the store creates and closes it). */
export type AgentFor = (serviceUrl: string) => Agent;

/** Where the credential comes from, in the order they are tried. */
export type CredentialSource = 'connection-string' | 'shared-key' | 'sas' | 'default-chain';

export interface AzureTarget {
  source: CredentialSource;
  /** Account name, when known before connecting (always, except with a connection string). */
  account?: string;
  /** Blob service URL without a trailing slash, when known before connecting. */
  endpoint?: string;
}

/**
 * The credential source and the blob service URL, from the URL and the environment:
 * AZURE_STORAGE_CONNECTION_STRING; else account + AZURE_STORAGE_KEY; else
 * AZURE_STORAGE_SAS_TOKEN; else the default Azure credential chain (managed identity, CLI, ...).
 * Throws UsageError when the combination cannot work, before any request is made.
 */
export function resolveTarget(location: AzureLocation, env: Env): AzureTarget {
  const where = `azure://${location.container}/${location.prefix}`;
  if (nonEmpty(env.AZURE_STORAGE_CONNECTION_STRING)) {
    if (location.endpoint) {
      throw new UsageError(
        `repository ${where}: endpoint= and AZURE_STORAGE_CONNECTION_STRING both name the service; give the endpoint in one of them`,
      );
    }
    return { source: 'connection-string', ...(location.account ? { account: location.account } : {}) };
  }
  const account = location.account ?? (nonEmpty(env.AZURE_STORAGE_ACCOUNT) ? env.AZURE_STORAGE_ACCOUNT : undefined);
  if (!account) {
    throw new UsageError(
      `repository ${where}: no storage account; add ?account=NAME to the URL, or set AZURE_STORAGE_ACCOUNT or AZURE_STORAGE_CONNECTION_STRING`,
    );
  }
  let endpoint = location.endpoint ?? `https://${account}.blob.core.windows.net`;
  // Azurite's documented endpoint is http://127.0.0.1:10000/ACCOUNT; accept the bare host too.
  if (location.endpoint && isPathStyleHost(endpoint) && new URL(endpoint).pathname === '/') endpoint = `${endpoint}/${account}`;
  const source: CredentialSource = nonEmpty(env.AZURE_STORAGE_KEY)
    ? 'shared-key'
    : nonEmpty(env.AZURE_STORAGE_SAS_TOKEN)
      ? 'sas'
      : 'default-chain';
  return { source, account, endpoint };
}

/**
 * The SDK's retry is off (one try): the retry wrapper above the adapter is the only loop. The
 * agent (azure-agent.ts: the store's own pool, with timeouts) is not in StoragePipelineOptions'
 * type, but @azure/storage-blob 12.x hands every pipeline option to core-rest-pipeline, whose
 * agent policy puts it on each request; test/store/azure-timeouts.test.ts fails if that stops.
 */
function pipeline(agent: Agent): StoragePipelineOptions {
  const options: StoragePipelineOptions & { agent: Agent } = {
    retryOptions: { maxTries: 1 },
    userAgentOptions: { userAgentPrefix: 'snaptier' },
    agent,
  };
  return options;
}

/**
 * The container client for a connection string, an account key or a SAS token, built at once so
 * a bad variable is a UsageError before any request; undefined for the default chain, whose
 * client `defaultChainContainerClient` builds when it is first needed.
 */
export function containerClient(location: AzureLocation, target: AzureTarget, env: Env, agents: AgentFor): ContainerClient | undefined {
  const where = `azure://${location.container}/${location.prefix}`;
  let service: BlobServiceClient;
  switch (target.source) {
    case 'connection-string': {
      let parsed: BlobServiceClient;
      try {
        parsed = BlobServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING!);
      } catch (err) {
        throw new UsageError(`repository ${where}: AZURE_STORAGE_CONNECTION_STRING is not valid: ${firstLine(err)}`, { cause: err });
      }
      // Parsed once to learn the endpoint (http or https), which the agent depends on.
      service = new BlobServiceClient(parsed.url, parsed.credential, pipeline(agents(parsed.url)));
      if (target.account && service.accountName && service.accountName !== target.account) {
        throw new UsageError(
          `repository ${where}: the URL names account ${target.account} but AZURE_STORAGE_CONNECTION_STRING is for ${service.accountName}`,
        );
      }
      break;
    }
    case 'shared-key': {
      let credential: StorageSharedKeyCredential;
      try {
        credential = new StorageSharedKeyCredential(target.account!, env.AZURE_STORAGE_KEY!);
      } catch (err) {
        throw new UsageError(`repository ${where}: AZURE_STORAGE_KEY is not valid: ${firstLine(err)}`, { cause: err });
      }
      service = new BlobServiceClient(target.endpoint!, credential, pipeline(agents(target.endpoint!)));
      break;
    }
    case 'sas': {
      const sas = env.AZURE_STORAGE_SAS_TOKEN!.replace(/^\?/, '');
      // The SDK keeps the service URL's query on every container and blob URL it derives.
      service = new BlobServiceClient(`${target.endpoint!}?${sas}`, new AnonymousCredential(), pipeline(agents(target.endpoint!)));
      break;
    }
    case 'default-chain':
      return undefined;
  }
  return service.getContainerClient(location.container);
}

/** Managed identity, workload identity, Azure CLI, ...: @azure/identity is loaded only here. */
export async function defaultChainContainerClient(
  location: AzureLocation,
  target: AzureTarget,
  agents: AgentFor,
): Promise<ContainerClient> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new BlobServiceClient(target.endpoint!, new DefaultAzureCredential(), pipeline(agents(target.endpoint!))).getContainerClient(
    location.container,
  );
}

function nonEmpty(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
