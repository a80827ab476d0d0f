import type { AppContext } from '../../modules/core/context.js';
import { type ObservationSink, type PollerOptions, startPoller } from './poller.js';
import { startTrapReceiver } from './traps.js';

export type { ObservationSink } from './poller.js';

export interface SnmpOptions extends PollerOptions {
  /** Where traps are received; undefined: no receiver (SNMP_TRAP_LISTEN=off). */
  trapListen?: { host: string; port: number };
}

export interface SnmpIntegration {
  /** The trap receiver's UDP port; null when none runs or it could not bind. */
  trapPort: number | null;
  close(): Promise<void>;
}

/**
 * The SNMP integration of one instance (docs/integrations/snmp.md): the poller, which shares the
 * nodes with the other instances through the poll schedule, and the trap receiver, which every
 * instance runs (each switch sends its traps to one or more of them). Both hand their observations
 * to `sink` (the access-line store's batcher).
 */
export async function startSnmp(
  ctx: AppContext,
  sink: ObservationSink,
  options: SnmpOptions = {},
): Promise<SnmpIntegration> {
  const traps = options.trapListen ? await startTrapReceiver(ctx, sink, options.trapListen) : null;
  const poller = startPoller(ctx, sink, options);
  return {
    trapPort: traps?.port ?? null,
    async close() {
      await Promise.all([poller.close(), traps?.close()]);
    },
  };
}
