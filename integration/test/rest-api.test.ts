import { MerkleTree, type ImpressionRecord } from '@adrecon/merkle';
import { expect } from 'chai';
import { campaignTerms, marchDay, twoPublisherTerms, uniqueId } from './support/campaign-fixtures';
import { csvRecords } from './support/csv';
import { connectAs, evaluateJson, eventually } from './support/fabric-connection';
import { runScript, stopRecorded } from './support/network-scripts';
import { loadProfile, mspOf } from './support/network-profile';
import { http, type RestGateway } from './support/rest-gateway';
import { restGatewayForSuite } from './support/suite-rest-gateway';
import { acceptAsAgencyAndPublisher } from './support/rest-campaigns';

interface Envelope<T> {
  data: T;
  transactionId?: string;
}
interface ErrorBody {
  error: { code: string; message: string; transactionId?: string };
}
/** One Server-Sent Event: `data` is the chaincode event with its block, transaction and payload. */
interface SseEvent {
  id: string;
  event: string;
  data: { blockNumber: string; transactionId: string; payload: { campaignId?: string } };
}
interface ReportRow {
  campaignId: string;
  lineItemId: string;
  periodStart: string;
  status: string;
  firstPartyImpressions: number | null;
  thirdPartyImpressions: number | null;
  billableImpressions: number;
  amountMicros: number;
}

/** Reads one Server-Sent Events stream until `wanted` events arrived or the time ran out. */
async function readEvents(
  gateway: RestGateway,
  clientId: string,
  wanted: number,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeoutMs);
  const events: SseEvent[] = [];
  try {
    const res = await fetch(`${gateway.urlFor(clientId)}/events`, {
      headers: { authorization: `Bearer ${gateway.key(clientId)}`, accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    expect(res.status).to.equal(200);
    if (!res.body) throw new Error('no body');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          frame
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const id = field('id');
        const data = field('data');
        if (id === undefined || data === undefined) continue; // heartbeat or comment
        events.push({ id, event: field('event') ?? '', data: JSON.parse(data) as SseEvent['data'] });
        if (events.length >= wanted) return events;
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('the REST API on the real network', function () {
  this.timeout(180_000);
  const profile = loadProfile();
  const gateway = restGatewayForSuite();

  it('runs a campaign over HTTP, each party through its own organization’s gateway, down to the CSV report and payment', async () => {
    const terms = campaignTerms(profile);
    const { campaignId } = terms;
    const proposed = await http<Envelope<{ status: string }>>(gateway, 'POST', '/campaigns', {
      clientId: 'advertiser-operations',
      body: terms,
    });
    expect(proposed.status, proposed.text).to.equal(201);
    expect(proposed.body.transactionId).to.match(/^[0-9a-f]{64}$/);
    await acceptAsAgencyAndPublisher(gateway, campaignId);
    const campaign = await http<Envelope<{ status: string }>>(gateway, 'GET', `/campaigns/${campaignId}`, {
      clientId: 'advertiser-finance',
    });
    expect(campaign.body.data.status).to.equal('ACTIVE');

    const report = (d: number, impressions: number) => ({
      reportId: uniqueId('r'),
      campaignId,
      lineItemId: 'li-1',
      ...marchDay(d),
      impressions,
      invalidImpressions: 0,
    });
    for (const [clientId, d, n] of [
      ['publisher-operations', 1, 50_000],
      ['agency-operations', 1, 49_000],
      ['publisher-operations', 2, 40_000],
      ['agency-operations', 2, 39_500],
    ] as const) {
      const res = await http(gateway, 'POST', '/delivery-reports', { clientId, body: report(d, n) });
      expect(res.status, res.text).to.equal(201);
    }

    const csv = await http(gateway, 'GET', `/reports/reconciliation?campaignId=${campaignId}`, {
      clientId: 'agency-finance',
      headers: { accept: 'text/csv' },
    });
    expect(csv.status, csv.text).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    const rows = csvRecords(csv.text).filter((r) => r.campaignId === campaignId);
    expect(rows).to.have.length(2);

    // Every CSV row equals what the ledger holds, read straight from a peer with the raw Gateway client.
    const publisherConn = connectAs(profile, mspOf(profile, 'PUBLISHER'));
    try {
      const onLedger = await evaluateJson<{ records: ReportRow[] }>(
        publisherConn,
        'reconciliation:List',
        JSON.stringify({ campaignId }),
      );
      for (const row of rows) {
        const ledgerRow = onLedger.records.find((r) => r.periodStart === row.periodStart);
        expect(ledgerRow, `ledger row for ${String(row.periodStart)}`).to.not.equal(undefined);
        expect(row.status).to.equal(ledgerRow!.status);
        expect(Number(row.firstPartyImpressions)).to.equal(ledgerRow!.firstPartyImpressions);
        expect(Number(row.thirdPartyImpressions)).to.equal(ledgerRow!.thirdPartyImpressions);
        expect(Number(row.billableImpressions)).to.equal(ledgerRow!.billableImpressions);
        expect(Number(row.amountMicros)).to.equal(ledgerRow!.amountMicros);
      }
      expect(onLedger.records.map((r) => r.status)).to.deep.equal(['WITHIN_TOLERANCE', 'WITHIN_TOLERANCE']);
    } finally {
      publisherConn.close();
    }

    const invoiceId = uniqueId('inv');
    const invoice = await http<Envelope<{ amountMicros: number; status: string }>>(gateway, 'POST', '/invoices', {
      clientId: 'publisher-finance',
      body: { invoiceId, campaignId, lineItemId: 'li-1', periodStart: '2026-03-01', periodEnd: '2026-03-31' },
    });
    expect(invoice.status, invoice.text).to.equal(201);
    // Third-party counts bill: 49,000 + 39,500 = 88,500 impressions at a CPM of 2.50 = 221.25.
    expect(invoice.body.data.amountMicros).to.equal(221_250_000);
    const payment = await http<Envelope<{ invoice: { status: string } }>>(gateway, 'POST', '/payments', {
      clientId: 'advertiser-finance',
      body: { paymentId: uniqueId('pay'), invoiceId, amountMicros: 221_250_000, reference: 'wire 42' },
    });
    expect(payment.status, payment.text).to.equal(201);
    expect(payment.body.data.invoice.status).to.equal('PAID');

    // The invoice is traceable to the two transactions that wrote it, newest first.
    const history = await http<Envelope<{ txId: string; value: { status: string } }[]>>(
      gateway,
      'GET',
      `/invoices/${invoiceId}/history`,
      { clientId: 'agency-finance' },
    );
    expect(history.status, history.text).to.equal(200);
    expect(history.body.data.map((h) => h.value.status)).to.deep.equal(['PAID', 'ISSUED']);
    expect(history.body.data.map((h) => h.txId)).to.deep.equal([
      payment.body.transactionId,
      invoice.body.transactionId,
    ]);
  });

  it('proves one impression record in, and a tampered one out, of a report’s Merkle root', async () => {
    const terms = campaignTerms(profile);
    const { campaignId } = terms;
    expect(
      (await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms })).status,
    ).to.equal(201);
    for (const clientId of ['agency-operations', 'publisher-operations']) {
      await http(gateway, 'POST', `/campaigns/${campaignId}/acceptances`, { clientId, body: { version: 1 } });
    }
    const records: ImpressionRecord[] = Array.from({ length: 20 }, (_, i) => ({
      impressionId: `imp-${String(i)}`,
      timestamp: new Date(Date.UTC(2026, 2, 3, 0, i)).toISOString(),
      campaignId,
      lineItemId: 'li-1',
    }));
    const tree = MerkleTree.fromRecords(records);
    const reportId = uniqueId('r');
    const submitted = await http(gateway, 'POST', '/delivery-reports', {
      clientId: 'publisher-operations',
      body: {
        reportId,
        campaignId,
        lineItemId: 'li-1',
        ...marchDay(3),
        impressions: 20,
        invalidImpressions: 0,
        recordCount: 20,
        merkleRoot: tree.root,
      },
    });
    expect(submitted.status, submitted.text).to.equal(201);

    const verify = (record: ImpressionRecord) =>
      http<Envelope<{ valid: boolean; merkleRoot: string }>>(gateway, 'POST', '/merkle/verifications', {
        clientId: 'agency-finance',
        body: { reporter: mspOf(profile, 'PUBLISHER'), reportId, proof: tree.proof(7), record },
      });
    const proven = await verify(records[7]!);
    expect(proven.status, proven.text).to.equal(200);
    expect(proven.body.data.valid).to.equal(true);
    expect(proven.body.data.merkleRoot).to.equal(tree.root);
    const tampered = await verify({ ...records[7]!, impressionId: 'imp-forged' });
    expect(tampered.body.data.valid).to.equal(false);
  });

  it('enforces roles and organizations', async () => {
    const terms = campaignTerms(profile);
    const byFinance = await http<ErrorBody>(gateway, 'POST', '/campaigns', {
      clientId: 'advertiser-finance',
      body: terms,
    });
    expect(byFinance.status).to.equal(403);
    expect(byFinance.body.error.code).to.equal('FORBIDDEN');

    const byPublisher = await http<ErrorBody>(gateway, 'POST', '/campaigns', {
      clientId: 'publisher-operations',
      body: terms,
    });
    expect(byPublisher.status, 'a publisher cannot propose campaigns (the chaincode refuses)').to.equal(403);

    const noKey = await http<ErrorBody>(gateway, 'GET', '/campaigns');
    expect(noKey.status).to.equal(401);

    const ok = await http(gateway, 'POST', '/campaigns', { clientId: 'agency-operations', body: terms });
    expect(ok.status, ok.text).to.equal(201);
    // The publisher's key acts only as the publisher: accepting a version it was not offered fails, and
    // its acceptance never counts as the agency's.
    const stale = await http<ErrorBody>(gateway, 'POST', `/campaigns/${terms.campaignId}/acceptances`, {
      clientId: 'publisher-operations',
      body: { version: 2 },
    });
    expect(stale.status).to.equal(409);
    const accepted = await http<Envelope<{ acceptances: { mspId: string }[] }>>(
      gateway,
      'POST',
      `/campaigns/${terms.campaignId}/acceptances`,
      { clientId: 'publisher-operations', body: { version: 1 } },
    );
    expect(accepted.body.data.acceptances.map((a) => a.mspId).sort()).to.deep.equal(
      [mspOf(profile, 'AGENCY'), mspOf(profile, 'PUBLISHER')].sort(),
    );
  });

  it('shows a publisher only its own line items of a campaign', async () => {
    // Publisher2MSP, the second publisher of the network, books the campaign's other line item.
    const terms = twoPublisherTerms(profile);
    const proposed = await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
    expect(proposed.status, proposed.text).to.equal(201);

    const lineItemsSeenBy = async (clientId: string) => {
      const res = await http<Envelope<{ lineItems: { lineItemId: string; cpmMicros: number }[] }>>(
        gateway,
        'GET',
        `/campaigns/${terms.campaignId}`,
        { clientId },
      );
      expect(res.status, res.text).to.equal(200);
      return res.body.data.lineItems.map((li) => `${li.lineItemId}@${String(li.cpmMicros)}`);
    };
    expect(await lineItemsSeenBy('agency-operations')).to.deep.equal(['li-1@2500000', 'li-2@3100000']);
    expect(await lineItemsSeenBy('advertiser-finance')).to.deep.equal(['li-1@2500000', 'li-2@3100000']);
    expect(await lineItemsSeenBy('publisher-operations')).to.deep.equal(['li-1@2500000']);
    expect(await lineItemsSeenBy('publisher2-operations')).to.deep.equal(['li-2@3100000']);
  });

  it('answers bad input with a 4xx and a stable code, and writes nothing', async () => {
    const terms = campaignTerms(profile);
    const asAdvertiser = { clientId: 'advertiser-operations' };
    const cases: [string, { body?: unknown; rawBody?: string }, number, string][] = [
      ['malformed JSON', { rawBody: '{"campaignId": ' }, 400, 'VALIDATION_FAILED'],
      ['a wrong type', { body: { ...terms, name: 42 } }, 400, 'VALIDATION_FAILED'],
      [
        'a negative count',
        { body: { ...terms, lineItems: [{ ...terms.lineItems[0], bookedImpressions: -1 }] } },
        400,
        'VALIDATION_FAILED',
      ],
      ['an unknown field', { body: { ...terms, discount: 5 } }, 400, 'VALIDATION_FAILED'],
      ['an oversized body', { body: { ...terms, name: 'x'.repeat(2_000_000) } }, 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [what, input, status, code] of cases) {
      const res = await http<ErrorBody>(gateway, 'POST', '/campaigns', { ...asAdvertiser, ...input });
      expect(res.status, `${what}: ${res.text.slice(0, 200)}`).to.equal(status);
      expect(res.body.error.code, what).to.equal(code);
      expect(res.text, 'no stack trace').to.not.match(/\n\s+at /);
    }
    const missing = await http<ErrorBody>(gateway, 'GET', `/campaigns/${terms.campaignId}`, asAdvertiser);
    expect(missing.status, 'none of the bad requests created the campaign').to.equal(404);
    expect(missing.body.error.code).to.equal('CAMPAIGN_NOT_FOUND');

    const unknownInvoice = await http<ErrorBody>(gateway, 'GET', `/invoices/${uniqueId('nope')}`, asAdvertiser);
    expect(unknownInvoice.status).to.equal(404);
  });

  it('makes one record of an idempotent retry, also across a gateway restart', async () => {
    const terms = campaignTerms(profile);
    const key = uniqueId('idem');
    const send = (body: unknown) =>
      http<Envelope<{ campaignId: string }> & ErrorBody>(gateway, 'POST', '/campaigns', {
        clientId: 'advertiser-operations',
        body,
        headers: { 'idempotency-key': key },
      });
    const first = await send(terms);
    expect(first.status, first.text).to.equal(201);
    const retry = await send(terms);
    expect(retry.status).to.equal(201);
    expect(retry.body.transactionId).to.equal(first.body.transactionId);

    await gateway.restart();
    const afterRestart = await send(terms);
    expect(afterRestart.body.transactionId).to.equal(first.body.transactionId);
    const otherBody = await send({ ...terms, name: 'Something else' });
    expect(otherBody.status).to.equal(422);
    expect(otherBody.body.error.code).to.equal('IDEMPOTENCY_KEY_REUSED');

    const history = await http<Envelope<unknown[]>>(gateway, 'GET', `/campaigns/${terms.campaignId}/history`, {
      clientId: 'advertiser-operations',
    });
    expect(history.body.data, 'one write of the campaign').to.have.length(1);
  });

  it('answers 503 while an organization’s peer is down and recovers by itself when it is back', async () => {
    // Held down (the supervisor would restart it at once) until network-up.sh starts it again.
    await stopRecorded('peer0.publisher');

    const during = await http<ErrorBody>(gateway, 'GET', '/campaigns', { clientId: 'publisher-operations' });
    expect(during.status).to.equal(503);
    expect(during.body.error.code).to.equal('LEDGER_UNAVAILABLE');
    expect(during.headers.get('retry-after')).to.match(/^\d+$/);

    await runScript('network-up.sh');
    // The same gateway process, with no restart, serves the publisher again.
    const after = await eventually(async () => {
      const res = await http(gateway, 'GET', '/campaigns', { clientId: 'publisher-operations' });
      if (res.status !== 200) throw new Error(`HTTP ${String(res.status)}`);
      return res;
    }, 60_000);
    expect(after.status).to.equal(200);
  });

  it('resumes the event stream with Last-Event-ID and delivers exactly the missed events', async () => {
    const first = campaignTerms(profile);
    const proposeOne = async (terms: ReturnType<typeof campaignTerms>) => {
      const res = await http(gateway, 'POST', '/campaigns', { clientId: 'advertiser-operations', body: terms });
      expect(res.status, res.text).to.equal(201);
    };
    // Subscribe first, then write, so the stream's first event is ours.
    const firstEvents = readEvents(gateway, 'agency-operations', 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await proposeOne(first);
    const [seen] = await firstEvents;
    expect(seen?.data.payload.campaignId).to.equal(first.campaignId);
    expect(seen?.id).to.equal(`${seen!.data.blockNumber}:${seen!.data.transactionId}`);

    // While disconnected: two more campaigns.
    const missed = [campaignTerms(profile), campaignTerms(profile)];
    for (const terms of missed) await proposeOne(terms);

    const resumed = await readEvents(gateway, 'agency-operations', 2, { 'last-event-id': seen!.id });
    expect(resumed.map((e) => e.data.payload.campaignId)).to.deep.equal(missed.map((t) => t.campaignId));
    expect(resumed.map((e) => e.event)).to.deep.equal(['CampaignProposed', 'CampaignProposed']);
  });
});
