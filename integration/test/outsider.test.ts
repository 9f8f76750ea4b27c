import { common, msp, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { replayedEvents } from './support/replayed-events';
import { campaignTerms, marchDay, uniqueId } from './support/campaign-fixtures';
import { connectAs, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf, runDir, secondPublisherOf } from './support/network-profile';
import { http, startRestGateway, type RestGateway } from './support/rest-gateway';

/** A value of the campaign and every byte form it could take on a peer. */
interface Needle {
  readonly label: string;
  readonly forms: readonly Buffer[];
}

function int64(value: number, littleEndian: boolean): Buffer {
  const b = Buffer.alloc(8);
  if (littleEndian) b.writeBigInt64LE(BigInt(value));
  else b.writeBigInt64BE(BigInt(value));
  return b;
}

/**
 * A number as decimal text (which is also its JSON number) and as a 64-bit integer in both byte orders; our
 * records are JSON, so the binary forms are there to catch any other serialization.
 */
function numberNeedle(label: string, value: number): Needle {
  return { label, forms: [Buffer.from(String(value)), int64(value, false), int64(value, true)] };
}

function textNeedle(label: string, value: string): Needle {
  return { label, forms: [Buffer.from(value), Buffer.from(JSON.stringify(value))] };
}

/** The labels of the needles found in `bytes`. */
function found(needles: readonly Needle[], bytes: Buffer): string[] {
  return needles.filter((n) => n.forms.some((f) => bytes.includes(f))).map((n) => n.label);
}

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(full));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** The MSP IDs that endorsed each transaction of a block, by transaction ID. */
function endorsersByTransaction(blockBytes: Uint8Array): Map<string, string[]> {
  const block = common.Block.deserializeBinary(blockBytes);
  const result = new Map<string, string[]>();
  for (const envelopeBytes of block.getData()?.getDataList_asU8() ?? []) {
    const envelope = common.Envelope.deserializeBinary(envelopeBytes);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = common.ChannelHeader.deserializeBinary(
      payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    if (header.getType() !== common.HeaderType.ENDORSER_TRANSACTION) continue;
    const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
    const endorsers: string[] = [];
    for (const action of transaction.getActionsList()) {
      const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
      for (const endorsement of actionPayload.getAction()?.getEndorsementsList() ?? []) {
        endorsers.push(msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8()).getMspid());
      }
    }
    result.set(header.getTxId(), endorsers.sort());
  }
  return result;
}

interface Envelope<T> {
  data: T;
  transactionId?: string;
}

/**
 * Issue 8's outsider test: a campaign between the advertiser, the agency and the first publisher, through
 * proposal, reports, a dispute and its resolution, an invoice and a payment, with distinctive values; then the
 * other publisher, with only its own peer and credentials, looks everywhere it can and finds none of them.
 */
describe('need to know: what an organization outside a campaign can learn from its own peer', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const outsider = secondPublisherOf(profile);
  const parties = [mspOf(profile, 'ADVERTISER'), mspOf(profile, 'AGENCY'), mspOf(profile, 'PUBLISHER')].sort();
  let gateway: RestGateway;
  let outsiderConn: OrgConnection;

  const CPM = 1_234_567;
  const FIRST_PARTY = 1_987_654;
  const THIRD_PARTY = 1_765_432;
  const AGREED = 1_876_543;
  // AGREED × CPM / 1000, rounded half up: the invoice's amount.
  const AMOUNT = Number((BigInt(AGREED) * BigInt(CPM) + 500n) / 1000n);
  const NAME = `Outsider gala ${uniqueId('n')}`;
  const REFERENCE = `wire ${uniqueId('ref')}`;
  const needles: Needle[] = [
    numberNeedle('CPM', CPM),
    numberNeedle('first-party count', FIRST_PARTY),
    numberNeedle('third-party count', THIRD_PARTY),
    numberNeedle('agreed count', AGREED),
    numberNeedle('invoice amount', AMOUNT),
    textNeedle('campaign name', NAME),
    textNeedle('payment reference', REFERENCE),
  ];
  const terms = campaignTerms(profile, { name: NAME });
  const campaignId = terms.campaignId;
  terms.lineItems[0]!.cpmMicros = CPM;
  terms.lineItems[0]!.bookedImpressions = 9_000_000;
  const invoiceId = uniqueId('inv');
  const paymentId = uniqueId('pay');
  const reportIds = { fp: uniqueId('r'), tp: uniqueId('r') };
  const transactionIds: string[] = [];
  const outsiderEvents: Buffer[] = [];
  let stopEvents: (() => void) | undefined;

  before(async () => {
    gateway = await startRestGateway();
    outsiderConn = connectAs(profile, outsider);
    // The outsider's chaincode event subscription, from its own peer, for the whole run.
    const events = await outsiderConn.network.getChaincodeEvents(profile.chaincode);
    stopEvents = () => {
      events.close();
    };
    void (async () => {
      try {
        for await (const event of events) {
          outsiderEvents.push(Buffer.concat([Buffer.from(event.eventName), Buffer.from(event.payload)]));
        }
      } catch {
        // closed
      }
    })();
  });
  after(async () => {
    stopEvents?.();
    outsiderConn.close();
    await gateway.stop();
  });

  const write = async (clientId: string, url: string, body: unknown) => {
    const res = await http<Envelope<unknown>>(gateway, 'POST', url, { clientId, body });
    expect(res.status, `${clientId} POST ${url}: ${res.text}`).to.be.oneOf([200, 201]);
    if (res.body.transactionId !== undefined) transactionIds.push(res.body.transactionId);
    return res;
  };

  it('runs the campaign to payment, reconciling, resolving, invoicing and paying correctly', async () => {
    await write('advertiser-operations', '/campaigns', terms);
    for (const clientId of ['agency-operations', 'publisher-operations']) {
      await write(clientId, `/campaigns/${campaignId}/acceptances`, { version: 1 });
    }
    const day = { campaignId, lineItemId: 'li-1', ...marchDay(1), invalidImpressions: 0 };
    await write('publisher-operations', '/delivery-reports', {
      ...day,
      reportId: reportIds.fp,
      impressions: FIRST_PARTY,
    });
    await write('agency-operations', '/delivery-reports', { ...day, reportId: reportIds.tp, impressions: THIRD_PARTY });
    const period = encodeURIComponent(day.periodStart);
    const row = await http<Envelope<{ status: string }>>(
      gateway,
      'GET',
      `/reconciliations/${campaignId}/li-1/${period}`,
      { clientId: 'agency-finance' },
    );
    expect(row.body.data.status, row.text).to.equal('DISPUTED');
    const proposed = await write(
      'publisher-operations',
      `/reconciliations/${campaignId}/li-1/${period}/resolution-proposals`,
      { agreedImpressions: AGREED },
    );
    const version = (proposed.body.data as { resolution: { version: number } }).resolution.version;
    await write('agency-operations', `/reconciliations/${campaignId}/li-1/${period}/resolution-acceptances`, {
      agreedImpressions: AGREED,
      version,
    });
    const invoice = await write('publisher-finance', '/invoices', {
      invoiceId,
      campaignId,
      lineItemId: 'li-1',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    });
    expect((invoice.body.data as { amountMicros: number }).amountMicros).to.equal(AMOUNT);
    const paid = await write('advertiser-finance', '/payments', {
      paymentId,
      invoiceId,
      amountMicros: AMOUNT,
      reference: REFERENCE,
    });
    expect((paid.body.data as { invoice: { status: string } }).invoice.status).to.equal('PAID');
    // The parties read it all from their own peers.
    const asAgency = await http<Envelope<{ name: string; lineItems: { cpmMicros: number }[] }>>(
      gateway,
      'GET',
      `/campaigns/${campaignId}`,
      { clientId: 'agency-finance' },
    );
    expect(asAgency.body.data.name).to.equal(NAME);
    expect(asAgency.body.data.lineItems[0]?.cpmMicros).to.equal(CPM);
  });

  it('had every write endorsed by the campaign’s parties and by no one else', async () => {
    const qscc = outsiderConn.network.getContract('qscc');
    const wanted = new Set(transactionIds);
    const seen = new Map<string, string[]>();
    const info = common.BlockchainInfo.deserializeBinary(
      await qscc.evaluateTransaction('GetChainInfo', profile.channel),
    );
    for (let n = info.getHeight() - 1; n >= 0 && seen.size < wanted.size; n--) {
      const bytes = await qscc.evaluateTransaction('GetBlockByNumber', profile.channel, String(n));
      for (const [txId, endorsers] of endorsersByTransaction(bytes)) {
        if (wanted.has(txId)) seen.set(txId, endorsers);
      }
    }
    expect(seen.size).to.equal(wanted.size);
    for (const [txId, endorsers] of seen) {
      expect(endorsers, txId).to.deep.equal(parties);
    }
  });

  it('leaves no distinctive value in any block the outsider’s peer serves (arguments, read-write sets, events)', async () => {
    const qscc = outsiderConn.network.getContract('qscc');
    const info = common.BlockchainInfo.deserializeBinary(
      await qscc.evaluateTransaction('GetChainInfo', profile.channel),
    );
    const height = info.getHeight();
    const hits: string[] = [];
    for (let n = 0; n < height; n++) {
      const bytes = Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', profile.channel, String(n)));
      hits.push(...found(needles, bytes).map((label) => `${label} in block ${String(n)}`));
    }
    expect(height).to.be.greaterThan(transactionIds.length);
    expect(hits).to.deep.equal([]);
    // Control: a write whose arguments travel in plain text (the raw client, no transient data) is found by the
    // same scan in the block that holds it.
    const advertiser = connectAs(profile, mspOf(profile, 'ADVERTISER'));
    try {
      const controlName = `Control ${uniqueId('n')}`;
      const control = campaignTerms(profile, { name: controlName });
      const submitted = await advertiser.contract.submitAsync('campaigns:Propose', {
        arguments: [JSON.stringify(control)],
      });
      const { blockNumber } = await submitted.getStatus();
      // The outsider's peer commits that block on its own time.
      let top = 0;
      for (let tries = 0; tries < 100 && top <= Number(blockNumber); tries++) {
        top = common.BlockchainInfo.deserializeBinary(
          await qscc.evaluateTransaction('GetChainInfo', profile.channel),
        ).getHeight();
        if (top <= Number(blockNumber)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const recent: string[] = [];
      for (let n = height; n < top; n++) {
        recent.push(
          ...found(
            [textNeedle('control name', controlName)],
            Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', profile.channel, String(n))),
          ),
        );
      }
      expect(recent).to.include('control name');
    } finally {
      advertiser.close();
    }
  });

  it('answers the outsider’s chaincode queries on its own peer as if the campaign did not exist', async () => {
    const attempts: [string, ...string[]][] = [
      ['campaigns:Get', campaignId],
      ['campaigns:History', campaignId],
      ['campaigns:GetVersion', campaignId, '1'],
      ['campaigns:List', JSON.stringify({})],
      ['delivery:Get', mspOf(profile, 'PUBLISHER'), reportIds.fp],
      ['delivery:History', mspOf(profile, 'AGENCY'), reportIds.tp],
      ['delivery:List', JSON.stringify({ campaignId })],
      ['reconciliation:Get', campaignId, 'li-1', marchDay(1).periodStart],
      ['reconciliation:List', JSON.stringify({ campaignId })],
      ['reconciliation:Report', JSON.stringify({})],
      ['reconciliation:Report', JSON.stringify({ campaignId })],
      ['billing:GetInvoice', invoiceId],
      ['billing:InvoiceHistory', invoiceId],
      ['billing:ListInvoices', JSON.stringify({})],
      ['billing:ListInvoices', JSON.stringify({ campaignId })],
      ['billing:ListPayments', JSON.stringify({ invoiceId })],
    ];
    const answers: string[] = [];
    for (const [name, ...args] of attempts) {
      try {
        const text = Buffer.from(await outsiderConn.contract.evaluateTransaction(name, ...args)).toString('utf8');
        answers.push(`${name} → ${text}`);
        expect(text, name).to.not.include(campaignId);
      } catch (err) {
        const message = err instanceof Error ? `${err.message} ${JSON.stringify(err)}` : String(err);
        answers.push(`${name} ✗ ${message}`);
        expect(message, name).to.match(/_NOT_FOUND/);
      }
    }
    expect(found(needles, Buffer.from(answers.join('\n')))).to.deep.equal([]);
  });

  it('sends the outsider no event of the campaign over REST, and its own chaincode events carry no value', async () => {
    // The outsider's own raw subscription sees the channel's events, which name no value.
    expect(outsiderEvents.length).to.be.greaterThan(0);
    expect(found(needles, Buffer.concat(outsiderEvents))).to.deep.equal([]);
    // Its REST event stream, replayed from the start, delivers none of this campaign's events.
    const text = await replayedEvents(gateway, 'publisher2-operations');
    expect(text).to.not.include(campaignId);
    expect(found(needles, Buffer.from(text))).to.deep.equal([]);
  });

  it('answers every REST endpoint called with the outsider’s keys without a value, and writes as not found', async () => {
    const period = encodeURIComponent(marchDay(1).periodStart);
    const reads = [
      `/campaigns`,
      `/campaigns/${campaignId}`,
      `/campaigns/${campaignId}/history`,
      `/campaigns/${campaignId}/versions/1`,
      `/delivery-reports?campaignId=${campaignId}`,
      `/delivery-reports/${mspOf(profile, 'PUBLISHER')}/${reportIds.fp}`,
      `/delivery-reports/${mspOf(profile, 'AGENCY')}/${reportIds.tp}/history`,
      `/reconciliations?campaignId=${campaignId}`,
      `/reconciliations/${campaignId}/li-1/${period}`,
      `/reports/reconciliation`,
      `/reports/reconciliation?campaignId=${campaignId}`,
      `/invoices`,
      `/invoices?campaignId=${campaignId}`,
      `/invoices/${invoiceId}`,
      `/invoices/${invoiceId}/history`,
      `/payments?invoiceId=${invoiceId}`,
      `/roles`,
    ];
    const writes: [string, unknown][] = [
      [`/campaigns/${campaignId}/acceptances`, { version: 1 }],
      [`/campaigns/${campaignId}/cancellation`, { reason: 'x' }],
      [`/campaigns/${campaignId}/completion`, {}],
      [
        '/delivery-reports',
        {
          reportId: uniqueId('r'),
          campaignId,
          lineItemId: 'li-1',
          ...marchDay(2),
          impressions: 1,
          invalidImpressions: 0,
        },
      ],
      [`/reconciliations/${campaignId}/li-1/${period}/resolution-proposals`, { agreedImpressions: 1 }],
      [
        '/invoices',
        {
          invoiceId: uniqueId('inv'),
          campaignId,
          lineItemId: 'li-1',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
        },
      ],
      ['/payments', { paymentId: uniqueId('pay'), invoiceId, amountMicros: 1, reference: 'x' }],
    ];
    const texts: string[] = [];
    for (const clientId of ['publisher2-operations', 'publisher2-finance']) {
      for (const url of reads) {
        const res = await http(gateway, 'GET', url, { clientId });
        texts.push(`${clientId} GET ${url} ${String(res.status)} ${res.text}`);
        expect(res.status, `${clientId} GET ${url}: ${res.text}`).to.be.oneOf([200, 403, 404]);
        if (res.status === 200) expect(res.text, url).to.not.include(campaignId);
      }
      for (const [url, body] of writes) {
        const res = await http(gateway, 'POST', url, { clientId, body });
        texts.push(`${clientId} POST ${url} ${String(res.status)} ${res.text}`);
        // Publisher2 has a role and credentials; the campaign is not its business: not found, or not allowed for
        // its role (checked before any record is read), never a leak.
        expect(res.status, `${clientId} POST ${url}: ${res.text}`).to.be.oneOf([403, 404]);
      }
    }
    expect(found(needles, Buffer.from(texts.join('\n')))).to.deep.equal([]);
  });

  it('leaves no distinctive value in any file of the outsider’s peer data folder', () => {
    const dataDir = path.join(runDir, 'data', `peer0.${outsider.replace(/MSP$/, '').toLowerCase()}`);
    const files = filesBelow(dataDir);
    expect(files.length).to.be.greaterThan(0);
    const hits: string[] = [];
    for (const file of files) {
      const labels = found(needles, fs.readFileSync(file));
      hits.push(...labels.map((l) => `${l} in ${path.relative(dataDir, file)}`));
    }
    expect(hits).to.deep.equal([]);
    // The same scan of a party's peer folder finds the campaign (its private data and transient stores): the
    // scan can see values in the peer's LevelDB files.
    const partyDir = path.join(runDir, 'data', 'peer0.advertiser');
    const partyHits = filesBelow(partyDir).filter((f) => found(needles, fs.readFileSync(f)).includes('campaign name'));
    expect(partyHits.length).to.be.greaterThan(0);
  });
});
