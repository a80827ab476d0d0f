// The load process: autocannon, programmatically, in a process of its own (never the server's),
// so the load generator's CPU is not counted as the server's and its event loop not shared.
// Budgets it serves (docs/benchmarks.md, "Budgets"): subscriber card p95 ≤ 30 ms at 1 M on PostgreSQL;
// caller lookup by phone/account/contract p99 ≤ 10 ms at 1 M on PostgreSQL; free-text
// identification p95 ≤ 50 ms at 1 M on PostgreSQL, ≤ 100 ms at 100 k on PGlite.
//   node --import tsx bench/load.ts <workload.json>    (run.ts writes the workload and calls this)
// The workload: base URL, session cookie, connections, warm-up and duration, and the requests to
// cycle through, each with its kind (for a per-kind breakdown) and optionally a text such as the subscriber id
// the answer must contain (a sanity check that the load measures real answers, not errors).
// Prints one line "RESULT {json}".
import fs from 'node:fs';
import autocannon from 'autocannon';
import { type LatencySummary, summarise } from './lib.js';

export interface LoadItem {
  path: string;
  kind: string;
  /** Text the answer must contain, such as '"subscriberId":123' (the one the query was made from). */
  expect?: string;
}

export interface LoadWorkload {
  baseUrl: string;
  cookie: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  items: LoadItem[];
}

export interface LoadResult {
  overall: LatencySummary & { rps: number; seconds: number };
  byKind: Record<string, LatencySummary>;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  checked: number;
  expectedFound: number;
  distinctRequests: number;
}

/** What setupRequest puts in a request's context, read back when its answer arrives. */
interface RequestContext {
  kind?: string;
  expect?: string;
}

/** The client's request iterator and its context: autocannon 9 has them, @types/autocannon leaves them out. */
type ClientWithContext = autocannon.Client & { requestIterator: { context: RequestContext } };

async function load(workload: LoadWorkload, seconds: number, startAt: number, record: boolean) {
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  let next = startAt;
  let checked = 0;
  let expectedFound = 0;
  const items = workload.items;
  let instance!: autocannon.Instance;
  // The callback form: it returns the instance (for its 'response' events), the promise form does not.
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: workload.baseUrl,
        connections: workload.connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
        headers: { cookie: workload.cookie, accept: 'application/json' },
        requests: [
          {
            method: 'GET',
            // One shared cursor over the items for all connections, so no two connections ask the
            // same thing at the same moment and the cache sees the whole set.
            setupRequest: (request, context) => {
              const item = items[next++ % items.length]!;
              Object.assign(context, { kind: item.kind, expect: item.expect });
              return { ...request, path: item.path };
            },
            onResponse: (status, body, context) => {
              statuses[status] = (statuses[status] ?? 0) + 1;
              const { expect } = context as RequestContext;
              if (typeof expect === 'string' && record) {
                checked++;
                if (status === 200 && body.includes(expect)) expectedFound++;
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance.on('response', (client, _status, _bytes, responseTime) => {
    if (!record) return;
    latencies.push(responseTime);
    const kind = String((client as ClientWithContext).requestIterator.context.kind);
    let list = byKind.get(kind);
    if (!list) {
      list = [];
      byKind.set(kind, list);
    }
    list.push(responseTime);
  });
  const result = await finished;
  return { result, latencies, byKind, statuses, checked, expectedFound, issued: next - startAt };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadWorkload;
  // Warm-up over the end of the list, measurement from its start: the measured requests are not
  // the warm ones (as far as the list is longer than what the warm-up reaches).
  if (workload.warmupSeconds > 0) {
    await load(workload, workload.warmupSeconds, Math.floor(workload.items.length / 2), false);
    // Let the server finish what the warm-up left in flight before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const measured = await load(workload, workload.durationSeconds, 0, true);
  const seconds = (measured.result.finish.getTime() - measured.result.start.getTime()) / 1000;
  const out: LoadResult = {
    overall: { ...summarise(measured.latencies), rps: measured.latencies.length / seconds, seconds },
    byKind: Object.fromEntries([...measured.byKind].map(([kind, list]) => [kind, summarise(list)])),
    non2xx: measured.result.non2xx,
    errors: measured.result.errors,
    timeouts: measured.result.timeouts,
    statuses: measured.statuses,
    checked: measured.checked,
    expectedFound: measured.expectedFound,
    distinctRequests: Math.min(measured.issued, workload.items.length),
  };
  console.log(`RESULT ${JSON.stringify(out)}`);
}
