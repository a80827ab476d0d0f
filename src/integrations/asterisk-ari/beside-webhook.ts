import { callReportedBy, type Pbx } from '../../modules/contacts/pbx.js';
import type { AppContext } from '../../modules/core/context.js';
import { ARI_EVENT_PREFIX } from './stasis-app.js';

/**
 * Asterisk through ARI beside a PBX on the generic webhook: a command about a call goes to the
 * adapter that reported the call's arrival, so each PBX hears only of its own calls. An outbound
 * call has no call yet: it goes through Asterisk, where the agents' phones are.
 */
export function ariBesideWebhook(ctx: AppContext, ari: Pbx, webhook: Pbx): Pbx {
  const forCall = async (callId: string) => ((await callReportedBy(ctx, callId, ARI_EVENT_PREFIX)) ? ari : webhook);
  return {
    connect: async (command) => (await forCall(command.callId)).connect(command),
    announce: async (command) => (await forCall(command.callId)).announce(command),
    transfer: async (command) => (await forCall(command.callId)).transfer(command),
    hangUp: async (command) => (await forCall(command.callId)).hangUp(command),
    originate: (command) => ari.originate(command),
    supervise: async (command) => {
      const pbx = await forCall(command.callId);
      if (!pbx.supervise) throw new Error('this PBX cannot put a supervisor on a call');
      await pbx.supervise(command);
    },
  };
}
