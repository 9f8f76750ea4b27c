import { common } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { marchDay, twoPublisherTerms, uniqueId } from './support/campaign-fixtures';
import { connectAs, type OrgConnection } from './support/fabric-connection';
import { loadProfile, mspOf, runDir, secondPublisherOf } from './support/network-profile';
import { http, startRestGateway, type RestGateway } from './support/rest-gateway';

/** A value and every byte form it could take on a peer: decimal text (also its JSON) and 64-bit integers. */
interface Needle {
  readonly label: string;
  readonly forms: readonly Buffer[];
}

function numberNeedle(label: string, value: number): Needle {
  const be = Buffer.alloc(8);
  be.writeBigInt64BE(BigInt(value));
  const le = Buffer.alloc(8);
  le.writeBigInt64LE(BigInt(value));
  return { label, forms: [Buffer.from(String(value)), be, le] };
}

/** The labels of the needles found in `bytes`. */
function found(needles: readonly Needle[], bytes: Buffer): string[] {
  return needles.filter((n) => n.forms.some((f) => bytes.includes(f))).map((n) => n.label);
}

function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesBelow(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : [],
    );
}

function peerFolder(mspId: string): string {
  return path.join(runDir, 'data', `peer0.${mspId.replace(/MSP$/, '').toLowerCase()}`);
}

/** The needles found in any file of an organization's peer data folder (ledger, private data and transient stores). */
function onDisk(mspId: string, needles: readonly Needle[]): string[] {
  const dir = peerFolder(mspId);
  const files = filesBelow(dir);
  expect(files.length, dir).to.be.greaterThan(0);
  return files.flatMap((f) =>
    found(needles, fs.readFileSync(f)).map((label) => `${label} in ${path.relative(dir, f)}`),
  );
}

interface Envelope<T> {
  data: T;
}

/**
 * Issue 8 item 2 within one campaign: two publishers with distinctive terms (CPM, booked volume), counts and invoice
 * amounts each. Each line item's terms and records live in the collection of the advertiser, the agency and its own
 * publisher; the campaign's all-parties record holds commitments only, and the proposer's gateway sends each line
 * item's terms in a transaction endorsed by that line item's parties alone. After proposal, acceptance, reports and
 * invoices, each publisher looks for the other's values everywhere it can: its peer's data folder, every block its
 * peer serves, its chaincode's answers on its own peer, and its REST answers. None appears.
 */
describe('need to know within a two-publisher campaign', function () {
  this.timeout(300_000);
  const profile = loadProfile();
  const publisher1 = mspOf(profile, 'PUBLISHER');
  const publisher2 = secondPublisherOf(profile);
  let gateway: RestGateway;
  const terms = twoPublisherTerms(profile);
  const { campaignId } = terms;
  const [first, second] = terms.lineItems as [(typeof terms.lineItems)[0], (typeof terms.lineItems)[0]];
  first.cpmMicros = 7_310_001;
  first.bookedImpressions = 4_420_001;
  second.cpmMicros = 6_290_002;
  second.bookedImpressions = 3_530_002;
  const COUNT_1 = 1_357_913;
  const COUNT_2 = 1_246_802;
  const amount = (count: number, cpm: number) => Number((BigInt(count) * BigInt(cpm) + 500n) / 1000n);
  const AMOUNT_1 = amount(COUNT_1, first.cpmMicros);
  const AMOUNT_2 = amount(COUNT_2, second.cpmMicros);
  const valuesOf = (n: 1 | 2): Needle[] =>
    n === 1
      ? [
          numberNeedle('li-1 CPM', first.cpmMicros),
          numberNeedle('li-1 booked', first.bookedImpressions),
          numberNeedle('li-1 count', COUNT_1),
          numberNeedle('li-1 amount', AMOUNT_1),
        ]
      : [
          numberNeedle('li-2 CPM', second.cpmMicros),
          numberNeedle('li-2 booked', second.bookedImpressions),
          numberNeedle('li-2 count', COUNT_2),
          numberNeedle('li-2 amount', AMOUNT_2),
        ];
  const viewers = [
    { mspId: publisher1, clientId: 'publisher-operations', own: valuesOf(1), other: valuesOf(2), lineItemId: 'li-1' },
    { mspId: publisher2, clientId: 'publisher2-operations', own: valuesOf(2), other: valuesOf(1), lineItemId: 'li-2' },
  ];

  before(async () => {
    gateway = await startRestGateway();
  });
  after(async () => {
    await gateway.stop();
  });

  const post = async <T>(clientId: string, url: string, body: unknown) => {
    const res = await http<Envelope<T>>(gateway, 'POST', url, { clientId, body });
    expect(res.status, `${clientId} ${url}: ${res.text}`).to.be.oneOf([200, 201]);
    return res.body.data;
  };

  it('runs the campaign through proposal, acceptance, reports and invoices with each line item’s own terms', async () => {
    const proposed = await post<{ lineItems: { cpmMicros: number }[] }>('advertiser-operations', '/campaigns', terms);
    expect(proposed.lineItems.map((i) => i.cpmMicros)).to.deep.equal([first.cpmMicros, second.cpmMicros]);
    for (const clientId of ['agency-operations', 'publisher-operations', 'publisher2-operations']) {
      await post(clientId, `/campaigns/${campaignId}/acceptances`, { version: 1 });
    }
    const report = (lineItemId: string, impressions: number) => ({
      reportId: uniqueId('r'),
      campaignId,
      lineItemId,
      ...marchDay(1),
      impressions,
      invalidImpressions: 0,
    });
    await post('publisher-operations', '/delivery-reports', report('li-1', COUNT_1));
    await post('publisher2-operations', '/delivery-reports', report('li-2', COUNT_2));
    for (const [clientId, lineItemId, expected] of [
      ['publisher-finance', 'li-1', AMOUNT_1],
      ['publisher2-finance', 'li-2', AMOUNT_2],
    ] as const) {
      const invoice = await post<{ amountMicros: number }>(clientId, '/invoices', {
        invoiceId: uniqueId('inv'),
        campaignId,
        lineItemId,
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
      });
      expect(invoice.amountMicros, lineItemId).to.equal(expected);
    }
    const asAgency = await http<Envelope<{ status: string; lineItems: { cpmMicros: number }[] }>>(
      gateway,
      'GET',
      `/campaigns/${campaignId}`,
      { clientId: 'agency-finance' },
    );
    expect(asAgency.body.data.status).to.equal('ACTIVE');
    expect(asAgency.body.data.lineItems.map((i) => i.cpmMicros)).to.deep.equal([first.cpmMicros, second.cpmMicros]);
  });

  it('shows each publisher over REST its own line item’s terms and counts, never the other’s', async () => {
    for (const { clientId, own, other } of viewers) {
      const texts: string[] = [];
      for (const url of [
        `/campaigns`,
        `/campaigns/${campaignId}`,
        `/campaigns/${campaignId}/history`,
        `/campaigns/${campaignId}/versions/1`,
        `/delivery-reports?campaignId=${campaignId}`,
        `/reconciliations?campaignId=${campaignId}`,
        `/reports/reconciliation?campaignId=${campaignId}`,
        `/invoices?campaignId=${campaignId}`,
      ]) {
        const res = await http(gateway, 'GET', url, { clientId });
        expect(res.status, `${clientId} ${url}: ${res.text}`).to.equal(200);
        texts.push(res.text);
      }
      const all = Buffer.from(texts.join('\n'));
      expect(found(own, all), clientId).to.deep.equal(own.map((n) => n.label));
      expect(found(other, all), clientId).to.deep.equal([]);
    }
  });

  it('answers each publisher’s chaincode queries on its own peer without the other’s values', async () => {
    for (const { mspId, other, own } of viewers) {
      const connection: OrgConnection = connectAs(profile, mspId);
      try {
        const answers: string[] = [];
        for (const [name, ...args] of [
          ['campaigns:Get', campaignId],
          ['campaigns:History', campaignId],
          ['campaigns:GetVersion', campaignId, '1'],
          ['campaigns:List', JSON.stringify({})],
          ['delivery:List', JSON.stringify({ campaignId })],
          ['reconciliation:List', JSON.stringify({ campaignId })],
          ['reconciliation:Report', JSON.stringify({ campaignId })],
          ['billing:ListInvoices', JSON.stringify({ campaignId })],
        ] as [string, ...string[]][]) {
          answers.push(Buffer.from(await connection.contract.evaluateTransaction(name, ...args)).toString('utf8'));
        }
        const all = Buffer.from(answers.join('\n'));
        expect(found(own, all), mspId).to.deep.equal(own.map((n) => n.label));
        expect(found(other, all), mspId).to.deep.equal([]);
      } finally {
        connection.close();
      }
    }
  });

  it('leaves neither publisher’s values in any block (arguments, read-write sets, responses, events)', async () => {
    const connection = connectAs(profile, publisher2);
    try {
      const qscc = connection.network.getContract('qscc');
      const height = common.BlockchainInfo.deserializeBinary(
        await qscc.evaluateTransaction('GetChainInfo', profile.channel),
      ).getHeight();
      const hits: string[] = [];
      for (let n = 0; n < height; n++) {
        const bytes = Buffer.from(await qscc.evaluateTransaction('GetBlockByNumber', profile.channel, String(n)));
        hits.push(...found([...valuesOf(1), ...valuesOf(2)], bytes).map((label) => `${label} in block ${String(n)}`));
      }
      expect(hits).to.deep.equal([]);
    } finally {
      connection.close();
    }
  });

  it('keeps each publisher’s terms, counts and amounts off the other publisher’s peer, on disk', () => {
    for (const { mspId, own, other } of viewers) {
      expect(onDisk(mspId, other), mspId).to.deep.equal([]);
      // Control: the same scan finds the publisher's own values on its peer.
      expect([...new Set(onDisk(mspId, own).map((hit) => hit.split(' in ')[0]))].sort(), mspId).to.deep.equal(
        own.map((n) => n.label).sort(),
      );
    }
    // The agency's peer holds both line items' terms.
    const agencyHits = new Set(
      onDisk(mspOf(profile, 'AGENCY'), [...valuesOf(1), ...valuesOf(2)]).map((h) => h.split(' in ')[0]),
    );
    expect([...agencyHits].sort()).to.deep.equal([...valuesOf(1), ...valuesOf(2)].map((n) => n.label).sort());
  });

  // Last, after the scans: an amendment of the two-publisher campaign, split like the proposal (each line item's new
  // terms written apart, then an amendment by reference): each publisher reads only its own new terms, and neither
  // the other's new price nor its booking reaches its peer, not even its transient store at endorsement.
  it('amends the two-publisher campaign over REST; neither publisher’s peer receives the other’s new terms', async () => {
    const NEW_CPM_1 = 7_310_011;
    const NEW_CPM_2 = 6_290_022;
    const NEW_BOOKED_1 = 4_420_011;
    const NEW_BOOKED_2 = 3_530_022;
    const amended = await post<{ version: number }>('advertiser-operations', `/campaigns/${campaignId}/amendments`, {
      name: terms.name,
      currency: terms.currency,
      lineItems: [
        { ...first, cpmMicros: NEW_CPM_1, bookedImpressions: NEW_BOOKED_1 },
        { ...second, cpmMicros: NEW_CPM_2, bookedImpressions: NEW_BOOKED_2 },
      ],
    });
    for (const clientId of ['agency-operations', 'publisher-operations', 'publisher2-operations']) {
      await post(clientId, `/campaigns/${campaignId}/acceptances`, { version: amended.version });
    }
    const newValues = {
      1: [numberNeedle('li-1 new CPM', NEW_CPM_1), numberNeedle('li-1 new booked', NEW_BOOKED_1)],
      2: [numberNeedle('li-2 new CPM', NEW_CPM_2), numberNeedle('li-2 new booked', NEW_BOOKED_2)],
    };
    for (const [mspId, clientId, own, other] of [
      [publisher1, 'publisher-operations', 1, 2],
      [publisher2, 'publisher2-operations', 2, 1],
    ] as const) {
      const res = await http(gateway, 'GET', `/campaigns/${campaignId}`, { clientId });
      expect(res.text, clientId).to.include(String(own === 1 ? NEW_CPM_1 : NEW_CPM_2));
      expect(res.text, clientId).to.not.include(String(other === 1 ? NEW_CPM_1 : NEW_CPM_2));
      expect(onDisk(mspId, newValues[other]), `${mspId} holds the other publisher’s new terms`).to.deep.equal([]);
      // Control: its own new terms are on its peer.
      expect([...new Set(onDisk(mspId, newValues[own]).map((hit) => hit.split(' in ')[0]))].sort()).to.deep.equal(
        newValues[own].map((n) => n.label).sort(),
      );
    }
  });
});
