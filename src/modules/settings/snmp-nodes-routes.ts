import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemSchema, routeProblems } from '../../common/problem.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { type NodesOnRecord, removeSnmpNode, saveSnmpNode, saveSnmpPolling, snmpSettingsView } from './snmp-nodes.js';
import {
  SaveSnmpNodeRequest,
  SaveSnmpPollingRequest,
  SnmpNodeParam,
  SnmpNodeView,
  SnmpSettingsView,
} from './snmp-nodes-api.js';

const problems = { ...routeProblems, 409: ProblemSchema };

/**
 * How Linedesk reaches each switch and OLT by SNMP, and the poller's global settings
 * (docs/integrations/snmp.md). `nodesOnRecord` tells which nodes the network has (handed in by
 * src/server: settings may not import network).
 */
export const snmpNodeRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; nodesOnRecord: NodesOnRecord }> = async (
  app,
  { ctx, nodesOnRecord },
) => {
  app.get(
    '/api/settings/snmp',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description:
          "The SNMP poller's settings and each node's: version, port, v3 user and protocols, whether its ports may be bounced, whether credentials are set (never their value).",
        response: { 200: SnmpSettingsView, ...routeProblems },
      },
    },
    async () => snmpSettingsView(ctx, nodesOnRecord),
  );

  app.put(
    '/api/settings/snmp/polling',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description:
          "Replaces the poller's interval, timeout, retries, back-off, jitter and concurrency; `settingsVersion` as read (409 when someone saved meanwhile).",
        body: SaveSnmpPollingRequest,
        response: { 200: SnmpSettingsView, ...problems },
      },
    },
    async (request) => {
      await saveSnmpPolling(ctx, signedIn(request), request.body, request.ip);
      return snmpSettingsView(ctx, nodesOnRecord);
    },
  );

  app.put(
    '/api/settings/snmp/nodes/:node',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description:
          "Adds a node's SNMP settings (with its community or v3 keys) or edits them (`settingsVersion` as listed; 409 when someone saved meanwhile). Credentials are write-only; 404 when no node of that name is on record.",
        params: SnmpNodeParam,
        body: SaveSnmpNodeRequest,
        response: { 200: SnmpNodeView, ...problems },
      },
    },
    async (request) =>
      saveSnmpNode(ctx, signedIn(request), request.params.node, request.body, request.ip, nodesOnRecord),
  );

  app.delete(
    '/api/settings/snmp/nodes/:node',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: "Removes a node's SNMP settings: it is no longer polled and its traps are dropped.",
        params: SnmpNodeParam,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await removeSnmpNode(ctx, signedIn(request), request.params.node, request.ip);
      return reply.status(204).send(null);
    },
  );
};
