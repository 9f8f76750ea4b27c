import { expect } from 'chai';
import type { RestGateway } from './rest-gateway';

/**
 * What a client's REST event stream (`GET /events?startBlock=0`) delivers within 5 s: the whole replay of the events
 * its organization's gateway lets it see; fails the test unless the stream opens with 200.
 */
export async function replayedEvents(rest: RestGateway, clientId: string): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, 5_000);
  let text = '';
  try {
    const res = await fetch(`${rest.urlFor(clientId)}/events?startBlock=0`, {
      headers: { authorization: `Bearer ${rest.key(clientId)}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(res.status).to.equal(200);
    for await (const chunk of res.body ?? []) text += Buffer.from(chunk as Uint8Array).toString('utf8');
  } catch (err) {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err;
  } finally {
    clearTimeout(timer);
  }
  return text;
}
