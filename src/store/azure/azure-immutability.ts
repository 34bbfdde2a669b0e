// Azure version-level immutability (WORM) for our immutability: how an ObjectImmutability becomes a
// blob's immutability policy and back, and the check that a container can keep such policies at
// all, which only the management plane (ARM, az CLI, portal) can switch on.
import type { BlobImmutabilityPolicy, BlobImmutabilityPolicyMode, ContainerClient } from '@azure/storage-blob';
import { ObjectNotFoundError, type ObjectImmutability, ImmutabilityUnsupportedError } from '../object-store.js';
import { toStoreError } from './azure-errors.js';

/**
 * Compliance is a Locked policy: nobody can shorten or remove it, it can only be extended.
 * Governance is Unlocked: a principal allowed to modify immutability policies can shorten or
 * delete it (snaptier never does).
 */
export function policyModeOf(immutability: ObjectImmutability): BlobImmutabilityPolicyMode {
  return immutability.mode === 'compliance' ? 'Locked' : 'Unlocked';
}

/** The policy for a put or an extension. (`expiriesOn` is the SDK's spelling.) */
export function immutabilityPolicyOf(immutability: ObjectImmutability, mode = policyModeOf(immutability)): BlobImmutabilityPolicy {
  return { expiriesOn: new Date(immutableUntilOnWire(immutability.untilMs)), policyMode: mode };
}

/**
 * The until-date travels as an RFC 1123 date (x-ms-immutability-policy-until-date), whole
 * seconds: the SDK would drop the milliseconds, ending immutability up to a second early. Rounding up
 * never does.
 */
export function immutableUntilOnWire(untilMs: number): number {
  return Math.ceil(untilMs / 1000) * 1000;
}

/** Whether a policy mode read back from Azure (which answers in lower case: "locked") is Locked. */
export function isLockedMode(mode: string | undefined): boolean {
  return mode?.toLowerCase() === 'locked';
}

/** The end (ms) of a blob version's immutability policy, from its properties, when it has one. */
export function immutableUntilOf(props: { immutabilityPolicyExpiresOn?: Date; immutabilityPolicyMode?: string }): number | undefined {
  const until = props.immutabilityPolicyExpiresOn?.getTime();
  if (until === undefined || Number.isNaN(until)) return undefined;
  // "Mutable": the version carries a date but no policy binding it.
  return props.immutabilityPolicyMode?.toLowerCase() === 'mutable' ? undefined : until;
}

/**
 * Refuses (ImmutabilityUnsupportedError) a container without version-level immutability, or no
 * container at all: the data-plane API cannot create one with it, and writing policies into a
 * container without it fails on every put. Other failures (refused access) pass as they are.
 */
export async function checkImmutableContainer(container: ContainerClient): Promise<void> {
  const name = container.containerName;
  const account = container.accountName || 'ACCOUNT';
  const create = `az storage container-rm create --storage-account ${account} --name ${name} --enable-vlw true (blob versioning enabled on the account), or in the portal with "Enable version-level immutability support"`;
  let enabled: boolean | undefined;
  try {
    enabled = (await container.getProperties()).isImmutableStorageWithVersioningEnabled;
  } catch (err) {
    const translated = toStoreError(err, { op: 'ensureContainer', key: `container ${name}` });
    if (translated instanceof ObjectNotFoundError) {
      throw new ImmutabilityUnsupportedError(
        `Azure container ${name} does not exist: immutability needs a container with version-level immutability, which only the management plane can create: ${create}`,
        { cause: err },
      );
    }
    throw translated;
  }
  if (enabled !== true) {
    throw new ImmutabilityUnsupportedError(
      `Azure container ${name} does not have version-level immutability (WORM) enabled, which immutability needs: create one with ${create}; an existing container can be migrated with az storage container-rm migrate-vlw`,
    );
  }
}
