import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PortBounceRequest, PortBounceResult } from '../../common/api/access-line.js';
import { ProblemSchema, routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import { recordAudit } from '../../modules/audit/service.js';
import type { AppContext } from '../../modules/core/context.js';
import { Problem } from '../../modules/core/problem.js';
import { type AccountAccessPort, accountAccessPort } from '../../modules/network/polling/access-port.js';
import { snmpNodeNamed, snmpPolling } from '../../modules/settings/snmp-nodes.js';
import { signedIn } from '../../modules/staff/access.js';
import { subscriberNamesOf } from '../../modules/subscribers/service.js';
import { IF_MIB, ifIndexOnWire } from './mib.js';
import { ifStatusOf } from './poll.js';
import type { ObservationSink } from './poller.js';
import { openSnmpSession, snmpErrorText } from './session.js';

/** IF-MIB ifAdminStatus values written (RFC 2863). */
const ADMIN_UP = 1;
const ADMIN_DOWN = 2;

export interface BounceOptions {
  ctx: AppContext;
  /** How long the port stays down (a CPE notices a link loss of about a second); tests shorten it. */
  pauseMs?: number;
  /** Where the port's state after the bounce goes (the access-line store), if anywhere. */
  sink?: ObservationSink;
}

async function bounceablePort(ctx: AppContext, subscriberId: number, accountId: number | undefined) {
  const line = await accountAccessPort(ctx, subscriberId, accountId);
  const port = line?.port;
  if (!line && (await subscriberNamesOf(ctx, [subscriberId])).size === 0) {
    throw new Problem('subscriber.not_found', 404, 'No such subscriber');
  }
  if (!line || !port) {
    throw new Problem(
      'access-line.no_port',
      409,
      'The account has no access port on record',
      'Only a line that ends on a switch port can be bounced.',
    );
  }
  if (port.medium === 'pon') {
    throw new Problem(
      'access-line.pon_port',
      409,
      'The line ends on a PON port',
      'A PON port serves every ONT behind its splitter: it is not bounced for one subscriber.',
    );
  }
  if (line.otherAccountsOnPort > 0) {
    throw new Problem(
      'access-line.shared_port',
      409,
      'Other accounts share this port',
      'Bouncing it would cut every account on the port to help one.',
    );
  }
  const settings = await snmpNodeNamed(ctx, line.node);
  if (!settings?.bounceAllowed) {
    throw new Problem(
      'access-line.bounce_not_allowed',
      409,
      `Bouncing ports of ${line.node} is not allowed`,
      "The node's SNMP settings do not allow it (Settings → SNMP).",
    );
  }
  if (!settings.credentials) {
    throw new Problem(
      'access-line.no_snmp_credentials',
      409,
      `Linedesk has no readable SNMP credentials for ${line.node}`,
      "Set the node's community or v3 keys again (Settings → SNMP).",
    );
  }
  return { line: line as AccountAccessPort & { port: NonNullable<AccountAccessPort['port']> }, settings };
}

/**
 * The 2nd line's port bounce: ifAdminStatus down, a pause, up again, then the port's ifOperStatus,
 * on the subscriber's access port where the node's settings allow it; answered with the outcome
 * and kept in the audit log.
 */
export const bounceRoutes: FastifyPluginAsyncTypebox<BounceOptions> = async (app, { ctx, pauseMs = 2000, sink }) => {
  app.post(
    '/api/subscribers/:id/access-line/bounce',
    {
      config: { access: 'access-line.bounce' },
      schema: {
        tags: ['access-line'],
        description:
          "Bounces the account's access port (IF-MIB ifAdminStatus down, a pause, up) and reads its ifOperStatus after. 409 when the account has no switch port on record, the port is a PON port or shared with other accounts, or the node's SNMP settings do not allow bouncing. Audited.",
        params: IdParam,
        body: PortBounceRequest,
        response: { 200: PortBounceResult, ...routeProblems, 409: ProblemSchema },
      },
    },
    async (request) => {
      const me = signedIn(request);
      const { accountId, reason } = request.body;
      const { line, settings } = await bounceablePort(ctx, request.params.id, accountId);
      const polling = await snmpPolling(ctx);
      const session = openSnmpSession({
        address: line.managementIp,
        port: settings.port,
        credentials: settings.credentials as NonNullable<typeof settings.credentials>,
        timeoutMs: polling.timeoutMs,
        retries: polling.retries,
      });
      const instance = ifIndexOnWire(line.port.ifIndex);
      let error: string | null = null;
      let operStatusAfter: PortBounceResult['operStatusAfter'] = null;
      let wentDown = false;
      try {
        await session.set(`${IF_MIB.ifAdminStatus}.${instance}`, ADMIN_DOWN);
        wentDown = true;
        await sleep(pauseMs);
        await session.set(`${IF_MIB.ifAdminStatus}.${instance}`, ADMIN_UP);
        const [reading] = await session.get([`${IF_MIB.ifOperStatus}.${instance}`]);
        operStatusAfter = ifStatusOf(reading?.value) ?? null;
      } catch (failure) {
        error = snmpErrorText(failure);
        if (wentDown) error = `${error}: the port may be left administratively down`;
      } finally {
        session.close();
      }
      const result: PortBounceResult = {
        node: line.node,
        port: line.port.name,
        outcome: error === null ? 'done' : 'failed',
        error,
        operStatusAfter,
        at: ctx.clock().toISOString(),
      };
      await recordAudit(
        ctx.database.db,
        {
          staffId: me.id,
          action: 'access-line.bounce',
          targetType: 'subscriber',
          targetId: request.params.id,
          ip: request.ip,
          details: { ...result, accountId: line.accountId, reason: reason ?? null },
        },
        ctx.clock(),
      );
      if (sink && error === null) {
        await sink
          .record([
            {
              kind: 'port',
              nodeId: line.nodeId,
              ifIndex: line.port.ifIndex,
              adminStatus: 'up',
              ...(operStatusAfter ? { operStatus: operStatusAfter } : {}),
              at: ctx.clock(),
              source: 'poll',
            },
          ])
          .catch((failure) => ctx.log.warn({ err: failure }, 'snmp: the bounce reading was not stored'));
      }
      return result;
    },
  );
};
