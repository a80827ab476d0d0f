import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  LoadCalendarRequest,
  SaveContactSettingsRequest,
  SaveLinesRequest,
  SecretParam,
  SecretStatus,
  SettingsView,
  WriteSecretRequest,
} from '../../common/api/settings.js';
import { ProblemSchema, routeProblems } from '../../common/problem.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { signedIn } from '../staff/access.js';
import { nasList, removeNas, saveNas } from './nas.js';
import { NasList, NasParam, NasView, SaveNasRequest } from './nas-api.js';
import { checkSecretsAtStart } from './secrets.js';
import {
  clearSecret,
  loadProductionCalendar,
  saveContactSettings,
  saveLines,
  settingsView,
  writeSecret,
} from './service.js';

const problems = { ...routeProblems, 409: ProblemSchema };

export const settingsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  // At start: a fresh database gets its defaults and calendar, and a key problem stops the start
  // here rather than at the first PBX webhook.
  await checkSecretsAtStart(ctx);

  app.get(
    '/api/settings',
    {
      config: { access: 'settings.read' },
      schema: {
        tags: ['settings'],
        description:
          'Lines, contact settings, the production calendar, and whether each secret is set (never its value).',
        response: { 200: SettingsView, ...routeProblems },
      },
    },
    async () => settingsView(ctx),
  );

  app.put(
    '/api/settings/lines',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: 'Replaces the lines; `version` is `linesVersion` as read (409 when someone saved meanwhile).',
        body: SaveLinesRequest,
        response: { 200: SettingsView, ...problems },
      },
    },
    async (request) => saveLines(ctx, signedIn(request), request.body, request.ip),
  );

  app.put(
    '/api/settings/contacts',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: 'Replaces the contact settings; `version` is `contactsVersion` as read.',
        body: SaveContactSettingsRequest,
        response: { 200: SettingsView, ...problems },
      },
    },
    async (request) => saveContactSettings(ctx, signedIn(request), request.body, request.ip),
  );

  app.put(
    '/api/settings/calendar',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: "Loads one year of the production calendar from a file's text, replacing that year's days.",
        body: LoadCalendarRequest,
        response: { 200: SettingsView, ...problems },
      },
    },
    async (request) => loadProductionCalendar(ctx, signedIn(request), request.body, request.ip),
  );

  app.put(
    '/api/settings/secrets/:name',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: 'Sets or replaces a secret. Write-only: no route ever answers its value.',
        params: SecretParam,
        body: WriteSecretRequest,
        response: { 200: SecretStatus, ...problems },
      },
    },
    async (request) => {
      await writeSecret(ctx, signedIn(request), request.params.name, request.body.value, request.ip);
      return secretStatusOf(request.params.name);
    },
  );

  app.delete(
    '/api/settings/secrets/:name',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: 'Forgets a secret (the PBX is disconnected).',
        params: SecretParam,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await clearSecret(ctx, signedIn(request), request.params.name, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/settings/nas',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description:
          'The NASes that send RADIUS accounting: address, vendor, interim interval, CoA port, whether a secret is set.',
        response: { 200: NasList, ...routeProblems },
      },
    },
    async () => nasList(ctx),
  );

  app.put(
    '/api/settings/nas/:name',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description:
          'Adds a NAS (with its shared secret) or edits one (`version` as listed; 409 when someone saved meanwhile). The secret is write-only.',
        params: NasParam,
        body: SaveNasRequest,
        response: { 200: NasView, ...problems },
      },
    },
    async (request) => saveNas(ctx, signedIn(request), request.params.name, request.body, request.ip),
  );

  app.delete(
    '/api/settings/nas/:name',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        description: 'Removes a NAS: its accounting is dropped from then on.',
        params: NasParam,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await removeNas(ctx, signedIn(request), request.params.name, request.ip);
      return reply.status(204).send(null);
    },
  );

  async function secretStatusOf(name: string) {
    const status = (await settingsView(ctx)).secrets.find((secret) => secret.name === name);
    if (!status) throw new Problem('settings.secret_unknown', 404, 'No such secret');
    return status;
  }
};
