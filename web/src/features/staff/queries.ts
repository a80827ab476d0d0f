import type {
  CreateStaffRequest,
  ResetPasswordResult,
  StaffMember,
  StaffSession,
  UpdateStaffRequest,
} from '@common/api/staff.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client.ts';

const staffKey = ['admin', 'staff'] as const;
const sessionsKey = ['admin', 'sessions'] as const;

export const useStaff = () =>
  useQuery({ queryKey: staffKey, queryFn: () => api.get<StaffMember[]>('/api/admin/staff') });

/** Active sessions, refreshed while the page is open: an administrator watches them change. */
export const useSessions = (staffId: number | undefined) =>
  useQuery({
    queryKey: [...sessionsKey, staffId ?? 'all'],
    queryFn: () => api.get<StaffSession[]>(withQuery('/api/admin/sessions', { staffId })),
    refetchInterval: 15_000,
    staleTime: 0,
  });

function useInvalidateStaffAndSessions() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: staffKey }),
      queryClient.invalidateQueries({ queryKey: sessionsKey }),
    ]);
}

export function useCreateStaff() {
  const invalidate = useInvalidateStaffAndSessions();
  return useMutation({
    mutationFn: (request: CreateStaffRequest) => api.post<StaffMember>('/api/admin/staff', request),
    onSuccess: invalidate,
  });
}

export function useUpdateStaff() {
  const invalidate = useInvalidateStaffAndSessions();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: UpdateStaffRequest }) =>
      api.patch<StaffMember>(`/api/admin/staff/${id}`, change),
    onSuccess: invalidate,
  });
}

export function useRevokeSession() {
  const invalidate = useInvalidateStaffAndSessions();
  return useMutation({
    mutationFn: (session: StaffSession) => api.delete(`/api/admin/sessions/${encodeURIComponent(session.id)}`),
    onSettled: invalidate,
  });
}

export function useRevokeAllSessions() {
  const invalidate = useInvalidateStaffAndSessions();
  return useMutation({
    mutationFn: (member: StaffMember) => api.post<{ ended: number }>(`/api/admin/staff/${member.id}/revoke-sessions`),
    onSettled: invalidate,
  });
}

/** A forgotten password: the administrator sets a new one, and every session of the member ends. */
export function useResetPassword() {
  const invalidate = useInvalidateStaffAndSessions();
  return useMutation({
    mutationFn: ({ member, password }: { member: StaffMember; password: string }) =>
      api.post<ResetPasswordResult>(`/api/admin/staff/${member.id}/password`, { password }),
    onSettled: invalidate,
  });
}
