import type { ContactSettings, LineSettings, SecretName, SecretStatus, SettingsView } from '@common/api/settings.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

const settingsKey = ['settings'] as const;

/** Always fresh when opened: a change is made from the version shown, and a stale one is a 409. */
export const useSettings = () =>
  useQuery({ queryKey: settingsKey, queryFn: () => api.get<SettingsView>('/api/settings'), staleTime: 0 });

function useSettingsMutation<Input>(call: (input: Input) => Promise<SettingsView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (view) => queryClient.setQueryData(settingsKey, view),
    // A 409 means someone else saved: show what is there now.
    onError: () => queryClient.invalidateQueries({ queryKey: settingsKey }),
  });
}

export const useSaveLines = () =>
  useSettingsMutation((input: { version: number; lines: LineSettings[] }) =>
    api.put<SettingsView>('/api/settings/lines', input),
  );

export const useSaveContactSettings = () =>
  useSettingsMutation((input: { version: number; contacts: ContactSettings }) =>
    api.put<SettingsView>('/api/settings/contacts', input),
  );

export const useLoadCalendar = () =>
  useSettingsMutation((input: { version: number; content: string; fileName?: string }) =>
    api.put<SettingsView>('/api/settings/calendar', input),
  );

export function useWriteSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, value }: { name: SecretName; value: string }) =>
      api.put<SecretStatus>(`/api/settings/secrets/${encodeURIComponent(name)}`, { value }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKey }),
  });
}

export function useClearSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: SecretName) => api.delete(`/api/settings/secrets/${encodeURIComponent(name)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKey }),
  });
}
