import type { AriConfig } from '../../config.js';
import type { Listening } from '../../db/connection.js';
import type { Pbx } from '../../modules/contacts/pbx.js';
import type { AppContext } from '../../modules/core/context.js';
import { AriClient, type AriEventStream } from './client.js';
import { ariConnected, ariEventsReceived, ariReconnects } from './metrics.js';
import { ariPbx, StasisApplication } from './stasis-app.js';

export interface AsteriskAri {
  /** The commands out, for the jobs of every instance (REST needs no WebSocket). */
  pbx: Pbx;
  /** Whether this instance holds the application's event WebSocket now. */
  readonly leading: boolean;
  /** Resolves once the events received so far are handled. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface AsteriskAriOptions {
  /** How often an instance that does not lead tries for the lock (and the leader checks it still holds it). */
  retryMs?: number;
}

/**
 * Asterisk through ARI, in one instance among several: every instance sends commands; the one that
 * holds the advisory lock `asterisk-ari:<app>` holds the event WebSocket and runs the Stasis
 * application. ARI keeps one WebSocket per application (a newer one replaces the older), so two
 * instances listening would take it from each other and each see half of the events. When the
 * leader goes, another gets the lock within `retryMs` and reconciles the calls on record with the
 * channels and bridges that exist.
 */
export async function startAsteriskAri(
  ctx: AppContext,
  config: AriConfig,
  options: AsteriskAriOptions = {},
): Promise<AsteriskAri> {
  const client = new AriClient({
    url: config.url,
    username: config.username,
    password: config.password.value,
    app: config.app,
  });
  const application = new StasisApplication(ctx, client, config.dialling);
  let stream: AriEventStream | undefined;
  let leading = false;
  const about = { ariApp: config.app, ariUrl: config.url };

  const follow = () => {
    leading = true;
    ctx.log.info(about, 'ARI: leading: holding the event WebSocket');
    let connections = 0;
    stream = client.events({
      event: (event) => {
        ariEventsReceived.inc({ type: event.type });
        void application.receive(event);
      },
      connected: () => {
        ariConnected.set(1);
        if (connections++ > 0) ariReconnects.inc();
        ctx.log.info(about, 'ARI: event WebSocket connected');
        application.reconcile().catch((error: Error) => ctx.log.error({ err: error }, 'ARI: reconciling failed'));
      },
      ignored: (message) => {
        ariEventsReceived.inc({ type: 'ignored' });
        ctx.log.debug({ ...about, message }, 'ARI: message ignored');
      },
      lost: (reason) => {
        ariConnected.set(0);
        ctx.log.warn({ ...about, reason }, 'ARI: event WebSocket lost; connecting again');
      },
    });
  };
  const unfollow = async () => {
    leading = false;
    const was = stream;
    stream = undefined;
    await was?.close();
    if (was) ariConnected.set(0);
  };

  const lock: Listening = await ctx.database.lead(
    `asterisk-ari:${config.app}`,
    {
      gained: follow,
      lost: (error) => {
        ctx.log.warn({ ...about, err: error }, 'ARI: lost the leader lock; another instance takes the events');
        void unfollow();
      },
    },
    { retryMs: options.retryMs },
  );

  return {
    pbx: ariPbx(ctx, client, config.dialling),
    get leading() {
      return leading;
    },
    settled: () => application.settled(),
    async stop() {
      // The WebSocket first: a leader that let go of the lock first could, for a moment, take the
      // events back from the instance that follows it.
      await unfollow();
      await lock.close();
      await application.settled();
    },
  };
}
