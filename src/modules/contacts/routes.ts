import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AgentProfile,
  Desk,
  EndContactRequest,
  HoldRequest,
  ListedAgent,
  NoteRequest,
  SetAgentState,
} from '../../common/api/contacts.js';
import { routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { listAgentProfiles, updateAgentProfile } from './agents.js';
import { acceptOffer, addNote, deskOf, endContact, finishAfterWork, holdContact, setMyState } from './desk.js';
import { transferToLine } from './transfer.js';

const TransferRequest = Type.Object(
  { line: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_-]*$' }) },
  { additionalProperties: false },
);

const Done = { 204: Type.Null(), ...routeProblems, 409: routeProblems[404] };

/** The agent's desk and the supervisor's say over agents (docs/api.md, "Contacts"). */
export const contactRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/desk',
    {
      config: { access: 'contacts.desk' },
      schema: {
        tags: ['contacts'],
        description: "The signed-in agent's desk.",
        response: { 200: Desk, ...routeProblems },
      },
    },
    async (request) => deskOf(ctx, signedIn(request)),
  );

  app.put(
    '/api/desk/state',
    {
      config: { access: 'contacts.desk' },
      schema: {
        tags: ['contacts'],
        description: 'Available, break (with a reason) or offline.',
        body: SetAgentState,
        response: Done,
      },
    },
    async (request, reply) => {
      await setMyState(ctx, signedIn(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/desk/offers/:id/accept',
    {
      config: { access: 'contacts.desk' },
      schema: { tags: ['contacts'], description: 'Take the contact ringing at you.', params: IdParam, response: Done },
    },
    async (request, reply) => {
      await acceptOffer(ctx, signedIn(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/contacts/:id/hold',
    {
      config: { access: 'contacts.desk' },
      schema: { tags: ['contacts'], params: IdParam, body: HoldRequest, response: Done },
    },
    async (request, reply) => {
      await holdContact(ctx, signedIn(request), request.params.id, request.body.hold);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/contacts/:id/end',
    {
      config: { access: 'contacts.desk' },
      schema: {
        tags: ['contacts'],
        description: 'End the conversation with its reason and outcome; after-contact work begins.',
        params: IdParam,
        body: EndContactRequest,
        response: Done,
      },
    },
    async (request, reply) => {
      await endContact(ctx, signedIn(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/contacts/:id/transfer',
    {
      config: { access: 'contacts.desk' },
      schema: {
        tags: ['contacts'],
        description: "Hand the caller over to another line's queue; you are free at once.",
        params: IdParam,
        body: TransferRequest,
        response: Done,
      },
    },
    async (request, reply) => {
      await transferToLine(ctx, signedIn(request), request.params.id, request.body.line, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/contacts/:id/notes',
    {
      config: { access: 'contacts.desk' },
      schema: { tags: ['contacts'], params: IdParam, body: NoteRequest, response: Done },
    },
    async (request, reply) => {
      await addNote(ctx, signedIn(request), request.params.id, request.body.text);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/contacts/:id/finish-after-work',
    {
      config: { access: 'contacts.desk' },
      schema: { tags: ['contacts'], description: 'Done writing up before the timer.', params: IdParam, response: Done },
    },
    async (request, reply) => {
      await finishAfterWork(ctx, signedIn(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/agents',
    {
      config: { access: 'contacts.agents.manage' },
      schema: {
        tags: ['contacts'],
        description: "Every agent's lines, skills and extension.",
        response: {
          200: Type.Array(ListedAgent),
          ...routeProblems,
        },
      },
    },
    async () => listAgentProfiles(ctx),
  );

  app.put(
    '/api/agents/:id',
    {
      config: { access: 'contacts.agents.manage' },
      schema: { tags: ['contacts'], params: IdParam, body: AgentProfile, response: Done },
    },
    async (request, reply) => {
      await updateAgentProfile(ctx, signedIn(request), request.params.id, request.body, request.ip);
      return reply.status(204).send(null);
    },
  );
};
