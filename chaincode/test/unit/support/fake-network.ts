import { Context } from 'fabric-contract-api';
import { ChaincodeStub, ClientIdentity } from 'fabric-shim';
import sinon from 'sinon';

const MAX_RUNE = '\u{10ffff}';

interface HistoryRecord {
  txId: string;
  seconds: number;
  isDelete: boolean;
  value: Buffer;
}

/** An event a committed transaction emitted. */
export interface EmittedEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** The outcome of one committed transaction. */
export interface Committed<T> {
  result: T;
  events: EmittedEvent[];
  txId: string;
}

function iteratorOf<T>(items: readonly T[]): {
  next(): Promise<{ value: T | undefined; done: boolean }>;
  close(): Promise<void>;
} {
  let index = 0;
  return {
    next: () => {
      const value = items[index];
      index++;
      return Promise.resolve(value === undefined ? { value: undefined, done: true } : { value, done: false });
    },
    close: () => Promise.resolve(),
  };
}

/**
 * An in-memory channel for unit tests: committed world state, key-level validation parameters and key history.
 * Each {@link FakeNetwork.invoke} runs one transaction with a fresh stubbed context; its writes are visible to
 * later transactions only once it succeeds (reads never see the transaction's own writes, as in Fabric).
 */
export class FakeNetwork {
  readonly state = new Map<string, Buffer>();
  readonly policies = new Map<string, Uint8Array>();
  readonly history = new Map<string, HistoryRecord[]>();
  /** Private data: collection → key → private bytes (what its members' peers hold). */
  readonly privateState = new Map<string, Map<string, Buffer>>();
  /** Seconds since the epoch of the next transaction. */
  clockSeconds = Date.UTC(2026, 2, 15, 12, 0, 0) / 1000;
  /** How far the endorsing peer's clock is from the transaction timestamp (a skewed or forged timestamp). */
  peerClockOffsetMs = 0;
  /**
   * The certificate attributes of the calling user (`adrecon.role`, `hf.EnrollmentID`): an admin by default, so
   * tests that are not about user roles may write anything their organization may.
   */
  readonly attributes = new Map<string, string>([
    ['adrecon.role', 'admin'],
    ['hf.EnrollmentID', 'user1'],
  ]);
  #txCounter = 0;
  /** The stub of the last transaction run by {@link FakeNetwork.invoke}, to inspect its calls. */
  lastStub: sinon.SinonStubbedInstance<ChaincodeStub> | undefined;

  /** Sets the clock to an ISO instant. */
  setTime(iso: string): void {
    this.clockSeconds = Date.parse(iso) / 1000;
  }

  #sortedKeys(start: string, end: string): string[] {
    return [...this.state.keys()].filter((k) => k >= start && k < end).sort();
  }

  /** Builds a context for `mspId` and a transaction; `writes` collects its puts. */
  context(mspId: string): {
    ctx: Context;
    stub: sinon.SinonStubbedInstance<ChaincodeStub>;
    writes: Map<string, Buffer | null>;
    privateWrites: Map<string, Map<string, Buffer | null>>;
    parameters: Map<string, Uint8Array>;
    events: EmittedEvent[];
    txId: string;
  } {
    this.#txCounter++;
    const txId = `tx${String(this.#txCounter).padStart(6, '0')}`;
    const seconds = this.clockSeconds;
    // A sandbox of this transaction's own: the default sandbox would keep every fake of every transaction of the run
    // (sinon warns past 10,000); this one goes with the context.
    const fakes = sinon.createSandbox();
    const stub = fakes.createStubInstance(ChaincodeStub);
    const writes = new Map<string, Buffer | null>();
    const privateWrites = new Map<string, Map<string, Buffer | null>>();
    const privateWrite = (collection: string, key: string, value: Buffer | null) => {
      const map = privateWrites.get(collection) ?? new Map<string, Buffer | null>();
      map.set(key, value);
      privateWrites.set(collection, map);
      return Promise.resolve();
    };
    const parameters = new Map<string, Uint8Array>();
    const events: EmittedEvent[] = [];
    // The real key functions need no peer connection: key formats are exactly Fabric's.
    const keys = Object.create(ChaincodeStub.prototype) as ChaincodeStub;
    const realCreate = (type: string, attributes: string[]) => keys.createCompositeKey(type, attributes);
    stub.createCompositeKey.callsFake(realCreate);
    stub.splitCompositeKey.callsFake((key) => keys.splitCompositeKey(key));
    stub.getTxID.returns(txId);
    stub.getTxTimestamp.returns({ seconds: { toString: () => String(seconds) }, nanos: 0 } as unknown as ReturnType<
      ChaincodeStub['getTxTimestamp']
    >);
    stub.getState.callsFake((key) => Promise.resolve(this.state.get(key) ?? Buffer.alloc(0)));
    stub.putState.callsFake((key, value) => {
      writes.set(key, Buffer.from(value));
      return Promise.resolve();
    });
    stub.getTransient.returns(new Map());
    // A collection's members are the MSP IDs its name lists (parties_A_B_C); only they may read it (memberOnlyRead).
    stub.getPrivateData.callsFake((collection, key) => {
      if (!collection.split('_').includes(mspId)) {
        return Promise.reject(new Error(`tx creator does not have read access permission on ${collection}`));
      }
      return Promise.resolve(this.privateState.get(collection)?.get(key) ?? Buffer.alloc(0));
    });
    stub.putPrivateData.callsFake((collection, key, value) => privateWrite(collection, key, Buffer.from(value)));
    stub.deletePrivateData.callsFake((collection, key) => privateWrite(collection, key, null));
    stub.deleteState.callsFake((key) => {
      writes.set(key, null);
      return Promise.resolve();
    });
    stub.setStateValidationParameter.callsFake((key, ep) => {
      parameters.set(key, ep);
      return Promise.resolve();
    });
    stub.getStateValidationParameter.callsFake((key) => Promise.resolve(this.policies.get(key) ?? Buffer.alloc(0)));
    stub.setEvent.callsFake((name, payload) => {
      events.push({ name, payload: JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown> });
    });
    const kvs = (keys: string[]) =>
      keys.map((key) => ({ namespace: 'adrecon', key, value: this.state.get(key) ?? Buffer.alloc(0) }));
    stub.getStateByRange.callsFake(
      (start, end) =>
        Promise.resolve(iteratorOf(kvs(this.#sortedKeys(start, end)))) as unknown as ReturnType<
          ChaincodeStub['getStateByRange']
        >,
    );
    stub.getStateByPartialCompositeKey.callsFake((type, attributes) => {
      const prefix = realCreate(type, attributes);
      return Promise.resolve(iteratorOf(kvs(this.#sortedKeys(prefix, prefix + MAX_RUNE)))) as unknown as ReturnType<
        ChaincodeStub['getStateByPartialCompositeKey']
      >;
    });
    stub.getStateByPartialCompositeKeyWithPagination.callsFake((type, attributes, pageSize, bookmark) => {
      const prefix = realCreate(type, attributes);
      const all = this.#sortedKeys(bookmark !== undefined && bookmark !== '' ? bookmark : prefix, prefix + MAX_RUNE);
      const page = all.slice(0, pageSize);
      const next = all[pageSize] ?? '';
      // Like the real shim: the peer's metadata of an empty last page serializes to no bytes, and
      // fabric-shim then leaves `metadata` out of the response altogether.
      const empty = page.length === 0 && next === '';
      return Promise.resolve({
        iterator: iteratorOf(kvs(page)),
        ...(empty ? {} : { metadata: { fetchedRecordsCount: page.length, bookmark: next } }),
      }) as unknown as ReturnType<ChaincodeStub['getStateByPartialCompositeKeyWithPagination']>;
    });
    stub.getHistoryForKey.callsFake((key) => {
      const entries = [...(this.history.get(key) ?? [])].reverse().map((h) => ({
        txId: h.txId,
        isDelete: h.isDelete,
        value: h.value,
        timestamp: { seconds: { toString: () => String(h.seconds) }, nanos: 0 },
      }));
      return Promise.resolve(iteratorOf(entries)) as unknown as ReturnType<ChaincodeStub['getHistoryForKey']>;
    });
    // Tests that call a contract method directly name no transaction: the user-role check then has nothing to check
    // (the wire test, through fabric-shim, names each one).
    stub.getFunctionAndParameters.returns({ fcn: '', params: [] });
    const identity = fakes.createStubInstance(ClientIdentity);
    identity.getMSPID.returns(mspId);
    identity.getAttributeValue.callsFake((name: string) => this.attributes.get(name) ?? null);
    identity.getID.returns(`x509::/OU=client/CN=${this.attributes.get('hf.EnrollmentID') ?? 'user1'}::/CN=ca`);
    const ctx = new Context();
    ctx.stub = stub;
    ctx.clientIdentity = identity;
    const logger = { info: fakes.stub(), debug: fakes.stub(), warn: fakes.stub(), error: fakes.stub() };
    ctx.logging = {
      setLevel: () => undefined,
      getLogger: () => logger as unknown as ReturnType<Context['logging']['getLogger']>,
    };
    return { ctx, stub, writes, privateWrites, parameters, events, txId };
  }

  /**
   * Runs one transaction as `mspId`, parses its JSON result and commits its writes; a thrown error discards them.
   */
  async invoke<T = unknown>(
    mspId: string,
    run: (ctx: Context) => Promise<string>,
    options: { silentWrites?: boolean } = {},
  ): Promise<Committed<T>> {
    const { ctx, stub, writes, privateWrites, parameters, events, txId } = this.context(mspId);
    this.lastStub = stub;
    const text = await this.atPeerClock(() => run(ctx));
    // The chaincode's rule: exactly one event per state-changing transaction, none otherwise.
    const expected = writes.size > 0 && options.silentWrites !== true ? 1 : 0;
    if (events.length !== expected) {
      throw new Error(`transaction wrote ${writes.size} keys but emitted ${events.length} events`);
    }
    for (const [key, value] of writes) {
      const list = this.history.get(key) ?? [];
      list.push({ txId, seconds: this.clockSeconds, isDelete: value === null, value: value ?? Buffer.alloc(0) });
      this.history.set(key, list);
      if (value === null) {
        this.state.delete(key);
      } else {
        this.state.set(key, value);
      }
    }
    for (const [collection, entries] of privateWrites) {
      const map = this.privateState.get(collection) ?? new Map<string, Buffer>();
      for (const [key, value] of entries) {
        if (value === null) {
          map.delete(key);
        } else {
          map.set(key, value);
        }
      }
      this.privateState.set(collection, map);
    }
    for (const [key, policy] of parameters) {
      this.policies.set(key, policy);
    }
    return { result: JSON.parse(text) as T, events, txId };
  }

  /**
   * Runs `operation` with the peer's clock (`Date`) at the transaction time plus {@link peerClockOffsetMs}, as the
   * contracts' `beforeTransaction` time guard sees it on a real peer.
   */
  async atPeerClock<T>(operation: () => Promise<T>): Promise<T> {
    const clock = sinon.useFakeTimers({ now: this.clockSeconds * 1000 + this.peerClockOffsetMs, toFake: ['Date'] });
    try {
      return await operation();
    } finally {
      clock.restore();
    }
  }

  /**
   * The committed value of a key, parsed: for a private record (its public marker names a collection), the value
   * its collection holds.
   */
  read(key: string): unknown {
    const value = this.state.get(key);
    if (value === undefined) {
      return undefined;
    }
    const plain = JSON.parse(value.toString('utf8')) as unknown;
    const marker = plain as { c?: unknown; h?: unknown } | null;
    if (marker === null || typeof marker !== 'object' || typeof marker.c !== 'string' || typeof marker.h !== 'string') {
      return plain;
    }
    const bytes = this.privateState.get(marker.c)?.get(key);
    return bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as { v: unknown }).v;
  }

  /** The public marker of a private record: what every peer of the channel holds. */
  marker(key: string): unknown {
    const value = this.state.get(key);
    return value === undefined ? undefined : (JSON.parse(value.toString('utf8')) as unknown);
  }
}
