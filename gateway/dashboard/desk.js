// The finance desk: Preact + htm (no build step, no CDN: served by the organization's gateway from node_modules).
import { html, render, useEffect, useState, useCallback, useRef } from './vendor/htm-preact-standalone.mjs';

const KEY = 'adrecon.apiKey';
const fmtInt = (n) => (n === null || n === undefined ? '' : Number(n).toLocaleString('en-US'));
const fmtMoney = (micros) => (micros === null || micros === undefined ? '' : (Number(micros) / 1e6).toFixed(2));
const day = (iso) => String(iso).slice(0, 10);

async function api(path, options = {}) {
  const res = await fetch(path, {
    ...options,
    headers: {
      authorization: `Bearer ${sessionStorage.getItem(KEY)}`,
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`);
  return body;
}

/** Downloads what is on screen as CSV or XLSX (the same filters), through an authenticated fetch. */
async function download(query, format) {
  const res = await fetch(`/reports/reconciliation?${query}&format=${format}`, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `reconciliation-report.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Follows the gateway's event stream (SSE over fetch, so the API key travels in a header) and calls `onEvent`. */
function useLiveEvents(onEvent) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      for (;;) {
        try {
          const res = await fetch('/events', {
            headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
            signal: abort.signal,
          });
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const id = /^id: (.*)$/m.exec(block)?.[1];
              const name = /^event: (.*)$/m.exec(block)?.[1];
              if (id && name) handler.current({ id, name, transactionId: id.split(':')[1] });
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    return () => abort.abort();
  }, []);
}

function SignIn({ onSignIn }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, key.trim());
    try {
      await api('/reporting/status');
      onSignIn();
    } catch (err) {
      sessionStorage.removeItem(KEY);
      setError(String(err.message));
    }
  };
  return html`<form class="signin card" onSubmit=${submit}>
    <h2>Finance desk</h2>
    <label>API key<input id="api-key" type="password" value=${key} onInput=${(e) => setKey(e.target.value)} /></label>
    <button id="sign-in" type="submit">Sign in</button>
    ${error && html`<p class="error">${error}</p>`}
  </form>`;
}

function Campaigns({ campaigns, open }) {
  return html`<table id="campaigns">
    <thead>
      <tr>
        <th>Campaign</th>
        <th>Name</th>
        <th>Status</th>
        <th>Advertiser</th>
        <th>Agency</th>
        <th>Delivery vs booking</th>
        <th class="num">Billable</th>
        <th class="num">Booked</th>
        <th class="num">Disputed days</th>
        <th class="num">Amount</th>
      </tr>
    </thead>
    <tbody>
      ${campaigns.map((c) => {
        const share = c.bookedImpressions > 0 ? Math.min(100, (100 * c.billableImpressions) / c.bookedImpressions) : 0;
        return html`<tr key=${c.campaignId}>
          <td>
            <a
              href="#"
              data-campaign=${c.campaignId}
              onClick=${(e) => {
                e.preventDefault();
                open(c.campaignId);
              }}
              >${c.campaignId}</a
            >
          </td>
          <td>${c.name}</td>
          <td>${c.status}</td>
          <td>${c.advertiser}</td>
          <td>${c.agency}</td>
          <td>
            <div class="bar" title=${`${share.toFixed(1)} %`}><span style=${`width:${share}%`}></span></div>
          </td>
          <td class="num">${fmtInt(c.billableImpressions)}</td>
          <td class="num">${fmtInt(c.bookedImpressions)}</td>
          <td class="num">${c.disputedDays}</td>
          <td class="num">${fmtMoney(c.amountMicros)} ${c.currency}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function LineItemChart({ rows, toleranceBps }) {
  const ref = useRef(null);
  useEffect(() => {
    if (!ref.current || rows.length === 0) return undefined;
    const xs = rows.map((r) => Date.parse(r.periodStart) / 1000);
    const fp = rows.map((r) => r.firstPartyImpressions);
    const tp = rows.map((r) => r.thirdPartyImpressions);
    const high = rows.map((r) =>
      r.firstPartyImpressions === null && r.thirdPartyImpressions === null
        ? null
        : Math.max(r.firstPartyImpressions ?? 0, r.thirdPartyImpressions ?? 0),
    );
    const low = high.map((h) => (h === null ? null : Math.floor((h * (10_000 - toleranceBps)) / 10_000)));
    const disputed = rows.map((r) =>
      r.status === 'DISPUTED' ? Math.min(r.firstPartyImpressions ?? 0, r.thirdPartyImpressions ?? 0) : null,
    );
    const plot = new uPlot(
      {
        width: Math.min(1100, ref.current.clientWidth || 900),
        height: 260,
        series: [
          {},
          { label: 'first-party', stroke: '#3d7bd9', width: 2 },
          { label: 'third-party', stroke: '#7b2cbf', width: 2 },
          { label: 'tolerance high', stroke: '#9ca3af', dash: [4, 4] },
          { label: 'tolerance low', stroke: '#9ca3af', dash: [4, 4] },
          {
            label: 'disputed',
            stroke: '#d62828',
            paths: () => null,
            points: { show: true, size: 10, fill: '#d62828' },
          },
        ],
        bands: [{ series: [3, 4], fill: 'rgba(156,163,175,0.18)' }],
        axes: [{}, { size: 80, values: (_u, ticks) => ticks.map((v) => fmtInt(v)) }],
      },
      [xs, fp, tp, high, low, disputed],
      ref.current,
    );
    return () => plot.destroy();
  }, [rows, toleranceBps]);
  return html`<div class="chart" ref=${ref}></div>`;
}

function ResolutionCell({ row, me, refresh }) {
  const [agreed, setAgreed] = useState('');
  const [error, setError] = useState('');
  const rowPath = `/reconciliations/${row.campaignId}/${row.lineItemId}/${row.periodStart}`;
  const act = async (path, body) => {
    setError('');
    try {
      const answer = await api(`${rowPath}/${path}`, { method: 'POST', body: JSON.stringify(body) });
      await refresh(answer.transactionId);
    } catch (err) {
      setError(err.message);
    }
  };
  const proposal = row.resolution;
  if (row.status === 'RESOLVED') return html`<span>agreed ${fmtInt(row.agreedImpressions)}</span>`;
  if (row.status !== 'DISPUTED') return '';
  return html`<span>
    ${
      proposal && proposal.proposedBy !== me
        ? html`<button
            class="action accept"
            onClick=${() => act('resolution-acceptances', { agreedImpressions: proposal.agreedImpressions, version: proposal.version ?? 1 })}
          >
            Accept ${fmtInt(proposal.agreedImpressions)}
          </button>`
        : proposal
          ? html`<em>proposed ${fmtInt(proposal.agreedImpressions)}, awaiting the other side</em>`
          : html`<input
                class="agreed"
                size="9"
                placeholder="agreed"
                value=${agreed}
                onInput=${(e) => setAgreed(e.target.value)}
              />
              <button
                class="action propose"
                onClick=${() => act('resolution-proposals', { agreedImpressions: Number(agreed) })}
              >
                Propose
              </button>`
    }
    ${error && html`<span class="error">${error}</span>`}
  </span>`;
}

function CampaignDetail({ campaign, rows, me, refresh }) {
  const byLineItem = new Map();
  for (const row of rows) {
    if (!byLineItem.has(row.lineItemId)) byLineItem.set(row.lineItemId, []);
    byLineItem.get(row.lineItemId).push(row);
  }
  const query = `campaignId=${encodeURIComponent(campaign.campaignId)}`;
  return html`<div>
    <h2>
      ${campaign.name}
      <small
        >(${campaign.campaignId}, ${campaign.status}, tolerance ${(campaign.discrepancyToleranceBps / 100).toFixed(1)}
        %)</small
      >
    </h2>
    <div class="toolbar">
      <button class="action" id="export-csv" onClick=${() => download(query, 'csv')}>Export CSV</button>
      <button class="action" id="export-xlsx" onClick=${() => download(query, 'xlsx')}>Export XLSX</button>
    </div>
    ${[...byLineItem].map(
      ([lineItemId, items]) =>
        html`<div class="card" key=${lineItemId}>
          <h3>Line item ${lineItemId} (${items[0].publisher})</h3>
          <${LineItemChart} rows=${items} toleranceBps=${campaign.discrepancyToleranceBps} />
          <table class="days">
            <thead>
              <tr>
                <th>Day</th>
                <th class="num">First-party</th>
                <th class="num">Third-party</th>
                <th class="num">Discrepancy</th>
                <th>Status</th>
                <th class="num">Billable</th>
                <th class="num">Amount</th>
                <th>Invoice</th>
                <th>Resolution</th>
              </tr>
            </thead>
            <tbody>
              ${items.map(
                (r) =>
                  html`<tr key=${r.periodStart} class=${r.status} data-day=${day(r.periodStart)}>
                    <td>${day(r.periodStart)}</td>
                    <td class="num">${fmtInt(r.firstPartyImpressions)}</td>
                    <td class="num">${fmtInt(r.thirdPartyImpressions)}</td>
                    <td class="num">${r.discrepancyBps === null ? '' : `${(r.discrepancyBps / 100).toFixed(2)} %`}</td>
                    <td class="status">${r.status}</td>
                    <td class="num">${fmtInt(r.billableImpressions)}</td>
                    <td class="num">${fmtMoney(r.amountMicros)}</td>
                    <td>${r.invoiceId ?? ''}</td>
                    <td><${ResolutionCell} row=${r} me=${me} refresh=${refresh} /></td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`,
    )}
  </div>`;
}

function Invoices({ invoices, refresh }) {
  const [amounts, setAmounts] = useState({});
  const [error, setError] = useState('');
  const pay = async (invoiceId) => {
    setError('');
    try {
      const answer = await api('/payments', {
        method: 'POST',
        body: JSON.stringify({
          paymentId: `pay-${Date.now()}`,
          invoiceId,
          amountMicros: Math.round(Number(amounts[invoiceId]) * 1e6),
          reference: 'finance desk',
        }),
      });
      await refresh(answer.transactionId);
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<div>
    ${error && html`<p class="error">${error}</p>`}
    <table id="invoices">
      <thead>
        <tr>
          <th>Invoice</th>
          <th>Campaign</th>
          <th>Line item</th>
          <th>Period</th>
          <th class="num">Amount</th>
          <th class="num">Paid</th>
          <th>Due</th>
          <th>Aging</th>
          <th>Record payment</th>
        </tr>
      </thead>
      <tbody>
        ${invoices.map(
          ({ invoice, aging, daysOverdue }) =>
            html`<tr key=${invoice.invoiceId} class=${aging}>
              <td>${invoice.invoiceId}</td>
              <td>${invoice.campaignId}</td>
              <td>${invoice.lineItemId}</td>
              <td>${invoice.periodStart} – ${invoice.periodEnd}</td>
              <td class="num">${fmtMoney(invoice.amountMicros)} ${invoice.currency}</td>
              <td class="num">${fmtMoney(invoice.paidMicros)}</td>
              <td>${invoice.dueDate}</td>
              <td>${aging}${daysOverdue > 0 ? ` (${daysOverdue} d)` : ''}</td>
              <td>
                ${
                  aging === 'PAID'
                    ? ''
                    : html`<input
                          size="8"
                          placeholder=${invoice.currency}
                          onInput=${(e) => setAmounts({ ...amounts, [invoice.invoiceId]: e.target.value })}
                        />
                        <button class="action" onClick=${() => pay(invoice.invoiceId)}>Pay</button>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function Desk() {
  const [view, setView] = useState({ screen: 'campaigns' });
  const [status, setStatus] = useState(null);
  const [campaigns, setCampaigns] = useState([]);
  const [rows, setRows] = useState([]);
  const [invoices, setInvoices] = useState([]);
  const [live, setLive] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(
    async (waitFor) => {
      try {
        const wait = waitFor ? `&waitForTransaction=${encodeURIComponent(waitFor)}` : '';
        if (waitFor && view.screen !== 'campaign') await api(`/reports/reconciliation?pageSize=1${wait}`);
        if (view.screen === 'campaigns') setCampaigns((await api('/reporting/campaigns')).data.campaigns);
        if (view.screen === 'campaign') {
          const [list, report] = await Promise.all([
            api('/reporting/campaigns'),
            api(`/reports/reconciliation?campaignId=${encodeURIComponent(view.campaignId)}&pageSize=10000${wait}`),
          ]);
          setCampaigns(list.data.campaigns);
          setRows(report.data.rows);
        }
        if (view.screen === 'invoices') {
          setInvoices((await api('/reporting/invoices')).data.invoices);
        }
        setError('');
      } catch (err) {
        setError(err.message);
      }
    },
    [view],
  );

  // Reloads when the view changes and whenever the store moves on (catching up after a start, or changes this
  // page's event stream has not delivered yet).
  const storeBlock = status?.checkpoint ?? null;
  useEffect(() => {
    void load();
  }, [load, storeBlock]);
  useEffect(() => {
    const poll = async () => setStatus((await api('/reporting/status').catch(() => ({ data: null }))).data);
    void poll();
    const timer = setInterval(poll, 2000);
    return () => clearInterval(timer);
  }, []);
  useLiveEvents((event) => {
    setLive(`${event.name} in block ${event.id.split(':')[0]}`);
    void load(event.transactionId);
  });

  const campaign = campaigns.find((c) => c.campaignId === view.campaignId);
  const lag = status?.lagBlocks ?? null;
  const tab = (screen, label) =>
    html`<button
      class=${view.screen === screen ? 'active' : ''}
      id=${`tab-${screen}`}
      onClick=${() => setView({ screen })}
    >
      ${label}
    </button>`;
  return html`<div>
    <header>
      <h1>adrecon finance desk</h1>
      <nav>${tab('campaigns', 'Campaigns')}${tab('invoices', 'Invoices')}</nav>
      <span class=${`lag ${lag ? 'behind' : ''}`} id="lag"
        >${status?.organization ?? ''} · store block ${status?.checkpoint ?? '…'} · lag ${lag ?? '…'} blocks ·
        ${status?.backend ?? ''}</span
      >
    </header>
    <main>
      ${error && html`<p class="error">${error}</p>`}
      <p class="live" id="live">${live && `live: ${live}`}</p>
      ${view.screen === 'campaigns' && html`<${Campaigns} campaigns=${campaigns} open=${(id) => setView({ screen: 'campaign', campaignId: id })} />`}
      ${view.screen === 'campaign' && campaign && html`<${CampaignDetail} campaign=${campaign} rows=${rows} me=${status?.organization} refresh=${load} />`}
      ${
        view.screen === 'invoices' &&
        html`<div class="toolbar">
            <button class="action" onClick=${() => download('status=RESOLVED', 'csv')}>
              Export resolved days (CSV)
            </button>
          </div>
          <${Invoices} invoices=${invoices} refresh=${load} />`
      }
    </main>
  </div>`;
}

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(sessionStorage.getItem(KEY)));
  return signedIn ? html`<${Desk} />` : html`<${SignIn} onSignIn=${() => setSignedIn(true)} />`;
}

render(html`<${App} />`, document.getElementById('app'));
