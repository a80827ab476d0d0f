// The card-pop step's load process: an agent's browser and a PBX, in a process of their own.
// Budget (docs/benchmarks.md, "Budgets"): the card popped ≤ 300 ms after the offer.
//   node --import tsx bench/contacts-card-pop.ts <workload.json>    (contacts-steps.ts writes it)
//
// The browser: l1 signed in, available, its live channel (GET /api/live) open as EventSource
// keeps it. The PBX: a signed 'offered' for a caller whose number is one subscriber's phone. The
// clock runs from the PBX's POST to the card on the agent's screen: the live 'desk' event read off
// the stream → GET /api/desk answered with the offer naming the subscriber → GET
// /api/subscribers/:id answered with that card (the desk's web app does the same three). Between
// calls the agent accepts, the PBX reports 'answered', the agent ends the contact with an outcome,
// the PBX reports 'ended', and the agent finishes the after-contact work: available again.
// Prints one line "RESULT {json}".
import fs from 'node:fs';
import { HttpClient, openLive, PBX_EVENTS_PATH, signedEvents, type WireEvent } from './contacts-lib.js';
import { type LatencySummary, sleep, summarise } from './lib.js';

export interface CardPopWorkload {
  baseUrl: string;
  secret: string;
  agentLogin: string;
  calls: number;
  warmupCalls: number;
  /** Between one call's end and the next offer, as the agent would breathe. */
  pauseMs: number;
  callers: { phone: string; subscriberId: number }[];
  tag: string;
}

export interface CardPopResult {
  /** The POST's start to the card answered. */
  total: LatencySummary;
  /** The POST's start to the PBX's answer (Linedesk queued and offered the call in it). */
  post: LatencySummary;
  /** The POST's start to the live 'desk' event read, then to the desk, then to the card. */
  liveEvent: LatencySummary;
  desk: LatencySummary;
  /** GET /api/subscribers/:id alone. */
  card: LatencySummary;
  /** Desk events read before the one whose desk held the offer (a previous call's late wake-ups). */
  extraDeskEvents: number;
  calls: number;
  wrongCards: number;
  /** Everything between calls, per call: accept, answered, end, ended, finish. */
  between: LatencySummary;
}

type Desk = {
  agent: { state: string; extension: string | null };
  offer: { contact: { id: number; subscriberId: number | null } } | null;
};

async function main() {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as CardPopWorkload;
  // Two clients as a browser (six connections) and a PBX are apart.
  const browser = new HttpClient(workload.baseUrl, 6);
  const pbx = new HttpClient(workload.baseUrl, 2);
  const cookie = await browser.login(workload.agentLogin);
  const live = await openLive(workload.baseUrl, cookie);
  const desk = async () => (await browser.json<Desk>('GET', '/api/desk', { cookie })).value;
  const post = (events: WireEvent[]) => {
    const { body, headers } = signedEvents(workload.secret, events);
    return pbx.send('POST', PBX_EVENTS_PATH, { body, headers });
  };
  const event = (callId: string, type: WireEvent['type'], extra: Partial<WireEvent> = {}): WireEvent => ({
    id: `${callId}-${type}`,
    type,
    callId,
    timestamp: new Date().toISOString(),
    ...extra,
  });

  const first = await desk();
  if (first.offer) throw new Error('the agent has an offer before the first call');
  if (first.agent.state !== 'available') {
    await browser.json('PUT', '/api/desk/state', { cookie, body: { state: 'available' } });
  }
  const extension = first.agent.extension ?? undefined;
  await sleep(500);

  const samples = { total: [] as number[], post: [] as number[], liveEvent: [] as number[], desk: [] as number[] };
  const cards: number[] = [];
  const between: number[] = [];
  let extraDeskEvents = 0;
  let wrongCards = 0;

  for (let n = 0; n < workload.warmupCalls + workload.calls; n++) {
    const measured = n >= workload.warmupCalls;
    const caller = workload.callers[n % workload.callers.length]!;
    const callId = `${workload.tag}-${n}`;
    const mark = live.events.length;
    const started = performance.now();
    const posted = post([event(callId, 'offered', { from: caller.phone, to: '8-800-100-20-30' })]);
    let from = mark;
    let offer: NonNullable<Desk['offer']> | null = null;
    let eventAt = 0;
    let deskAt = 0;
    while (!offer) {
      const { event: wake, index } = await live.next(from, (candidate) => candidate.event === 'desk');
      from = index + 1;
      eventAt = wake.at;
      const now = await desk();
      deskAt = performance.now();
      if (now.offer?.contact.subscriberId) offer = now.offer;
      else if (measured) extraDeskEvents++;
    }
    const card = await browser.send('GET', `/api/subscribers/${offer.contact.subscriberId}`, { headers: { cookie } });
    const cardAt = performance.now();
    if (card.status !== 200 || !card.text.includes(`"id":${caller.subscriberId},`)) wrongCards++;
    const postAnswer = await posted;
    if (postAnswer.status !== 200) throw new Error(`offered: ${postAnswer.status} ${postAnswer.text.slice(0, 300)}`);
    if (measured) {
      samples.total.push(cardAt - started);
      samples.post.push(postAnswer.ms);
      samples.liveEvent.push(eventAt - started);
      samples.desk.push(deskAt - started);
      cards.push(card.ms);
    }

    // The call is taken, talked, ended with an outcome and written up.
    const betweenStarted = performance.now();
    const contactId = offer.contact.id;
    await browser.json('POST', `/api/desk/offers/${contactId}/accept`, { cookie });
    const answered = await post([event(callId, 'answered', extension ? { agentExtension: extension } : {})]);
    if (answered.status !== 200) throw new Error(`answered: ${answered.status} ${answered.text.slice(0, 300)}`);
    await browser.json('POST', `/api/contacts/${contactId}/end`, {
      cookie,
      body: { reason: 'other', outcome: 'resolved' },
    });
    const ended = await post([event(callId, 'ended')]);
    if (ended.status !== 200) throw new Error(`ended: ${ended.status} ${ended.text.slice(0, 300)}`);
    await browser.json('POST', `/api/contacts/${contactId}/finish-after-work`, { cookie });
    if (measured) between.push(performance.now() - betweenStarted);
    await sleep(workload.pauseMs);
  }
  live.close();
  browser.close();
  pbx.close();
  const result: CardPopResult = {
    total: summarise(samples.total),
    post: summarise(samples.post),
    liveEvent: summarise(samples.liveEvent),
    desk: summarise(samples.desk),
    card: summarise(cards),
    extraDeskEvents,
    calls: samples.total.length,
    wrongCards,
    between: summarise(between),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  // The live stream's reader may hold the event loop open.
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
