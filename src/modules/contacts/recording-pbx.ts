import type { Pbx, PbxCommand } from './pbx.js';

/** A PBX that only notes the commands it is sent, in order: what the module's tests read back. */
export function recordingPbx(): { pbx: Pbx; sent: PbxCommand[] } {
  const sent: PbxCommand[] = [];
  const record =
    <C extends PbxCommand['command']>(command: C) =>
    async (fields: Omit<Extract<PbxCommand, { command: C }>, 'command'>) =>
      void sent.push({ command, ...fields } as unknown as PbxCommand);
  return {
    sent,
    pbx: {
      connect: record('connect'),
      announce: record('announce'),
      transfer: record('transfer'),
      originate: record('originate'),
      hangUp: record('hangUp'),
      supervise: record('supervise'),
    },
  };
}
