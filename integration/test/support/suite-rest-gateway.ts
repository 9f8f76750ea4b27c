import { startRestGateway, type ApiCredential, type OrganizationGateway, type RestGateway } from './rest-gateway';

/**
 * The REST gateways of one mocha suite: started in the suite's `before` hook and stopped in its `after` hook, so a
 * suite declares `const gateway = restGatewayForSuite();` instead of repeating both hooks. The returned object
 * stands for the started gateways; using it outside the suite's tests (before the hook ran) throws.
 */
export function restGatewayForSuite(settings: Record<string, string> = {}): RestGateway {
  let started: RestGateway | undefined;
  const current = (): RestGateway => {
    if (started === undefined) throw new Error("the suite's REST gateways start in its before hook");
    return started;
  };
  before(async () => {
    started = await startRestGateway(settings);
  });
  after(async () => {
    await started?.stop();
  });
  return {
    get gateways(): readonly OrganizationGateway[] {
      return current().gateways;
    },
    of: (mspId) => current().of(mspId),
    urlFor: (clientId) => current().urlFor(clientId),
    key: (clientId) => current().key(clientId),
    get credentials(): readonly ApiCredential[] {
      return current().credentials;
    },
    get stateRoot(): string {
      return current().stateRoot;
    },
    get instance(): string {
      return current().instance;
    },
    get portBase(): number {
      return current().portBase;
    },
    refresh: () => current().refresh(),
    restart: () => current().restart(),
    stop: () => current().stop(),
    get token(): bigint | undefined {
      return current().token;
    },
    set token(block: bigint | undefined) {
      current().token = block;
    },
  };
}
