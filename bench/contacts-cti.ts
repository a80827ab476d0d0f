// The cti step's load process: a PBX reporting calls to POST /api/integrations/pbx/events, signed
// as the generic adapter signs (docs/integrations/telephony.md), from a process of its own.
// Budget (docs/benchmarks.md, "Budgets"): telephony events ≥ 1,000 per second on PostgreSQL.
//   node --import tsx bench/contacts-cti.ts <workload.json>    (contacts-steps.ts writes it)
//
// Each connection (keep-alive, one request at a time) carries calls of its own, several at once,
// each call's events in the order a PBX reports them: offered (the caller's number, the hotline
// dialled; in card-pop mode the extension ringing), dtmf (a menu key), answered (the extension),
// ended, recording. A request carries the next event of one call, or with `batch` > 1 the next
// event of each of `batch` calls (the batch form, applied in order). Each call goes to an
// extension of the connection's own that is on no other call. Every answer must be 200 with each
// event applied (not a repeat). After the measured window the calls in flight are finished
// (not measured), so every call started is whole for the checks that follow.
// Prints one line "RESULT {json}".
import fs from 'node:fs';
import { HttpClient, PBX_EVENTS_PATH, signedEvents, type WireEvent } from './contacts-lib.js';
import { type LatencySummary, summarise } from './lib.js';

export interface CtiWorkload {
  baseUrl: string;
  secret: string;
  mode: 'acd' | 'card-pop';
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Events per request (one per call). */
  batch: number;
  /** Calls each connection has going at once. */
  callsPerConnection: number;
  extensions: string[];
  /** Callers' numbers: subscribers' phones and numbers nobody has. */
  callers: string[];
  /** Prefix of every call id: the checks find this run's calls by it. */
  tag: string;
}

export interface CtiResult {
  /** Per request. */
  latency: LatencySummary;
  requests: number;
  events: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  seconds: number;
  /** Calls started in all (warm-up and drain included) and their events sent. */
  calls: number;
  eventsSent: number;
  refused: number;
  repeated: number;
  firstRefusal: string | null;
}

const TYPES = ['offered', 'dtmf', 'answered', 'ended', 'recording'] as const;

interface Call {
  id: string;
  extension: string;
  caller: string;
  next: number;
}

async function main() {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as CtiWorkload;
  const client = new HttpClient(workload.baseUrl, workload.connections);
  let calls = 0;
  let eventsSent = 0;
  let refused = 0;
  let repeated = 0;
  let firstRefusal: string | null = null;
  let measuring = false;
  let stopping = false;
  const latencies: number[] = [];
  let measuredEvents = 0;

  const eventOf = (call: Call): WireEvent => {
    const type = TYPES[call.next]!;
    const base = { id: `${call.id}-${type}`, type, callId: call.id, timestamp: new Date().toISOString() };
    call.next++;
    switch (type) {
      case 'offered':
        return {
          ...base,
          from: call.caller,
          to: '8-800-100-20-30',
          ...(workload.mode === 'card-pop' ? { agentExtension: call.extension } : {}),
        };
      case 'dtmf':
        return { ...base, digits: '5' };
      case 'answered':
        return { ...base, agentExtension: call.extension };
      case 'recording':
        return { ...base, recordingUrl: `https://pbx.example.net/recordings/${call.id}.ogg` };
      default:
        return base;
    }
  };

  const connection = async (index: number) => {
    const free = workload.extensions.filter((_, i) => i % workload.connections === index);
    const going: Call[] = [];
    const start = () => {
      const extension = free.shift();
      if (!extension) return false;
      const number = calls++;
      going.push({
        id: `${workload.tag}-${number}`,
        extension,
        caller: workload.callers[number % workload.callers.length]!,
        next: 0,
      });
      return true;
    };
    for (;;) {
      while (!stopping && going.length < workload.callsPerConnection && start()) {
        // a new call rings
      }
      if (going.length === 0) return;
      const chosen = going.slice(0, workload.batch);
      const events = chosen.map(eventOf);
      const { body, headers } = signedEvents(workload.secret, events);
      const answer = await client.send('POST', PBX_EVENTS_PATH, { body, headers });
      eventsSent += events.length;
      if (answer.status !== 200) {
        refused += events.length;
        firstRefusal ??= `${answer.status} ${answer.text.slice(0, 300)}`;
      } else {
        const { results } = JSON.parse(answer.text) as { results: { status: number; repeated?: boolean }[] };
        repeated += results.filter((result) => result.repeated).length;
      }
      if (measuring) {
        latencies.push(answer.ms);
        measuredEvents += events.length;
      }
      // A call whose last event went out hangs up; its extension is free again. The rest rotate,
      // so the calls of one connection interleave as a PBX's do.
      for (const call of chosen) going.splice(going.indexOf(call), 1);
      for (const call of chosen) {
        if (call.next < TYPES.length) going.push(call);
        else free.push(call.extension);
      }
    }
  };

  const running = Array.from({ length: workload.connections }, (_, index) => connection(index));
  await new Promise((resolve) => setTimeout(resolve, workload.warmupSeconds * 1000));
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, workload.durationSeconds * 1000));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  stopping = true;
  await Promise.all(running);
  client.close();
  const result: CtiResult = {
    latency: summarise(latencies),
    requests: latencies.length,
    events: measuredEvents,
    eventsPerSecond: measuredEvents / seconds,
    requestsPerSecond: latencies.length / seconds,
    seconds,
    calls,
    eventsSent,
    refused,
    repeated,
    firstRefusal,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
