import type { AppContext } from '../../modules/core/context.js';
import { operationalSettings, readSecret } from '../../modules/settings/service.js';

/**
 * Where commands go and the secret both directions are signed with. Read for every request and
 * command, so an administrator's change (a new secret, another address) holds from the next one.
 */
export interface PbxConnection {
  commandUrl(): Promise<string | null>;
  secret(): Promise<string | null>;
}

export function pbxConnectionOf(ctx: AppContext): PbxConnection {
  return {
    commandUrl: async () => (await operationalSettings(ctx)).contacts.pbxCommandUrl,
    secret: () => readSecret(ctx, 'pbx.webhookSecret'),
  };
}
