import type {
  SaveSnmpNodeRequest,
  SaveSnmpPollingRequest,
  SnmpNodeView,
  SnmpSettingsView,
} from '@common/api/snmp-settings.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

const snmpKey = ['settings', 'snmp'] as const;

/** Always fresh when opened: an edit is made from the version shown, and a stale one is a 409. */
export const useSnmpSettings = () =>
  useQuery({ queryKey: snmpKey, queryFn: () => api.get<SnmpSettingsView>('/api/settings/snmp'), staleTime: 0 });

/** Every change re-reads the list: another administrator's edit shows, and a 409 shows what is there now. */
function useSnmpMutation<Input, Output>(call: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () => queryClient.invalidateQueries({ queryKey: snmpKey }),
  });
}

export const useSaveSnmpNode = () =>
  useSnmpMutation(({ node, request }: { node: string; request: SaveSnmpNodeRequest }) =>
    api.put<SnmpNodeView>(`/api/settings/snmp/nodes/${encodeURIComponent(node)}`, request),
  );

export const useRemoveSnmpNode = () =>
  useSnmpMutation((node: string) => api.delete(`/api/settings/snmp/nodes/${encodeURIComponent(node)}`));

export const useSaveSnmpPolling = () =>
  useSnmpMutation((request: SaveSnmpPollingRequest) =>
    api.put<SnmpSettingsView>('/api/settings/snmp/polling', request),
  );
