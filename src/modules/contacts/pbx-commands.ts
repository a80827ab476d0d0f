import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import type { JobHandler } from '../jobs/service.js';
import { scheduleJob } from '../jobs/service.js';
import type { Pbx, PbxCommand } from './pbx.js';

export const PBX_COMMAND_JOB = 'contacts.pbx-command';

/**
 * A command to the PBX, sent by a job scheduled in the transaction of the change that needs it:
 * it goes out only if the change commits, after it commits, and is retried while the PBX does not
 * answer (the jobs module's back-off).
 */
export async function schedulePbxCommand(ctx: AppContext, tx: Db, command: PbxCommand): Promise<void> {
  await scheduleJob(tx, { kind: PBX_COMMAND_JOB, runAt: ctx.clock(), payload: { ...command } });
}

export function pbxCommandJob(pbx: Pbx): JobHandler {
  return async (ctx, payload) => {
    const command = payload as unknown as PbxCommand;
    ctx.log.info({ callId: 'callId' in command ? command.callId : undefined, command: command.command }, 'PBX command');
    switch (command.command) {
      case 'connect':
        return pbx.connect(command);
      case 'announce':
        return pbx.announce(command);
      case 'transfer':
        return pbx.transfer(command);
      case 'originate':
        return pbx.originate(command);
      case 'hangUp':
        return pbx.hangUp(command);
      case 'supervise':
        // Done rather than retried: trying again will not teach this PBX to do it.
        if (!pbx.supervise) {
          ctx.log.warn(
            { callId: command.callId, mode: command.mode },
            'PBX command dropped: this PBX cannot supervise',
          );
          return;
        }
        return pbx.supervise(command);
    }
  };
}
