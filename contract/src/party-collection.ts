/**
 * Need-to-know storage (issue 8): a campaign's records are Fabric private data held in the collection of its
 * party set, whose members are exactly those organizations and whose endorsement policy needs a peer of each.
 * The chaincode names the collection from the parties; the deployment script defines one collection per party set
 * a campaign can have (see `docs/trust-model.md`). This module is the one place the naming rule lives.
 */

/** The prefix of every party-set collection's name. */
export const PARTY_COLLECTION_PREFIX = 'parties';

/** An MSP ID usable in a collection name (Fabric allows `[A-Za-z0-9_-]` in collection names). */
const COLLECTION_MSP_ID = /^[A-Za-z0-9]+$/;

/**
 * The sorted, deduplicated members of a party set.
 *
 * @throws Error when an MSP ID holds a character a collection name cannot.
 */
export function partySet(mspIds: readonly string[]): string[] {
  const members = [...new Set(mspIds)].sort();
  for (const id of members) {
    if (!COLLECTION_MSP_ID.test(id)) {
      throw new Error(`MSP ID ${JSON.stringify(id)} cannot name a private data collection (letters and digits only)`);
    }
  }
  return members;
}

/**
 * The name of the private data collection of a party set, e.g. `parties_AdvertiserMSP_AgencyMSP_PublisherMSP`.
 *
 * @throws Error as {@link partySet}.
 */
export function partyCollectionName(mspIds: readonly string[]): string {
  return [PARTY_COLLECTION_PREFIX, ...partySet(mspIds)].join('_');
}

/** An organization of the network as far as collections are concerned. */
export interface CollectionOrganization {
  readonly mspId: string;
  readonly role: string;
}

/**
 * Every party set a campaign of these organizations can have: one advertiser, one agency and a non-empty set of
 * publishers (a campaign's own set, and each line item's advertiser, agency and publisher). Sorted by name.
 */
export function partySets(organizations: readonly CollectionOrganization[]): string[][] {
  const of = (role: string) =>
    organizations
      .filter((o) => o.role === role)
      .map((o) => o.mspId)
      .sort();
  const publishers = of('PUBLISHER');
  const publisherSets: string[][] = [];
  for (let mask = 1; mask < 2 ** publishers.length; mask++) {
    publisherSets.push(publishers.filter((_, i) => (mask & (2 ** i)) !== 0));
  }
  const sets: string[][] = [];
  for (const advertiser of of('ADVERTISER')) {
    for (const agency of of('AGENCY')) {
      for (const set of publisherSets) {
        sets.push(partySet([advertiser, agency, ...set]));
      }
    }
  }
  return sets.sort((a, b) => partyCollectionName(a).localeCompare(partyCollectionName(b)));
}

/** The members of a party-set collection named by {@link partyCollectionName}; undefined for any other name. */
export function partySetOf(collection: string): string[] | undefined {
  const [prefix, ...members] = collection.split('_');
  return prefix === PARTY_COLLECTION_PREFIX && members.length > 0 ? members : undefined;
}
