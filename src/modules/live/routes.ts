import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LIVE_PATH, LiveHeaders, LiveQuery } from '../../common/api/live.js';
import { routeProblems } from '../../common/problem.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { SESSION_COOKIE } from '../staff/sessions.js';
import type { LiveHub } from './hub.js';
import { createLiveStreams, type LivePresence } from './streams.js';

export interface LiveRoutesOptions {
  ctx: AppContext;
  /** Started when the app is ready, stopped when it closes (after its streams have ended). */
  hub: LiveHub;
  presence?: LivePresence;
  heartbeatMs?: number;
  maxReplay?: number;
}

/** The live channel: server-sent events of the wake-ups that concern the signed-in staff member (docs/api.md). */
export const liveRoutes: FastifyPluginAsyncTypebox<LiveRoutesOptions> = async (app, { ctx, hub, ...options }) => {
  const streams = createLiveStreams(ctx, hub, options);
  app.addHook('onReady', async () => {
    await hub.start();
    streams.start();
  });
  // Before the server stops taking connections: an open stream would otherwise hold the close
  // until its time limit. Browsers reconnect to another instance with their Last-Event-ID.
  app.addHook('preClose', async () => {
    await streams.closeAll();
  });
  app.addHook('onClose', async () => {
    await hub.stop();
  });

  app.get(
    LIVE_PATH,
    {
      config: { access: 'live.stream' },
      schema: {
        tags: ['live'],
        description:
          'Server-sent events (text/event-stream): `id: <n>`, `event: <topic>`, `data: <json of ids>`, a comment every 15 s. ' +
          'Events come in commit order, not id order. Resumes from a little before `Last-Event-ID` (or `?lastEventId=`), ' +
          'so an event can come twice (a wake-up: refetching twice is harmless); `event: reset` when those events are no longer kept.',
        querystring: LiveQuery,
        headers: LiveHeaders,
        response: routeProblems,
      },
    },
    async (request, reply) => {
      const me = signedIn(request);
      const lastEventId = request.headers['last-event-id'] ?? request.query.lastEventId;
      const body = await streams.open(
        me,
        request.cookies[SESSION_COOKIE] ?? '',
        lastEventId === undefined ? undefined : Number(lastEventId),
      );
      reply.raw.on('close', () => body.destroy());
      // Gone while its missed events were read: nothing will close the stream later.
      if (request.raw.socket?.destroyed) body.destroy();
      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          // nginx and similar proxies would otherwise hold events back to fill their buffers.
          .header('x-accel-buffering', 'no')
          // The connection ends with the stream (when the server stops, at once rather than idling
          // until its keep-alive timeout); EventSource opens a new one to come back.
          .header('connection', 'close')
          // A stream is sent as it is; the response schemas (the problems) type only JSON answers.
          .send(body as never)
      );
    },
  );
};
