import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { isApiProblem } from '../api/client.ts';
import { LoginPage } from '../features/staff/LoginPage.tsx';
import { IdentifyPage } from '../features/subscribers/identify/IdentifyPage.tsx';
import { SubscriberListPage } from '../features/subscribers/SubscriberListPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { LandingRedirect, RequireRole, RequireSession } from './guards.tsx';
import { lazyScreen } from './lazy-screen.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { agentRoles, boardRoles, settingsRoles } from './navigation.ts';
import { ServerReachNotice } from './ServerReachNotice.tsx';
import { SessionProvider } from './session.tsx';
import { theme } from './theme.ts';

// Loaded on first use, to keep the initial JavaScript within its budget (docs/benchmarks.md, "Budgets"),
// and waiting for the server when it is away at that moment (lazy-screen.ts).
const SubscriberCardPage = lazyScreen(() =>
  import('../features/subscribers/SubscriberCardPage.tsx').then((module) => ({ default: module.SubscriberCardPage })),
);
const AdminPage = lazyScreen(() =>
  import('../features/staff/AdminPage.tsx').then((module) => ({ default: module.AdminPage })),
);
const StaffPage = lazyScreen(() =>
  import('../features/staff/StaffPage.tsx').then((module) => ({ default: module.StaffPage })),
);
const AuditPage = lazyScreen(() =>
  import('../features/audit/AuditPage.tsx').then((module) => ({ default: module.AuditPage })),
);
const DeskPage = lazyScreen(() =>
  import('../features/contacts/DeskPage.tsx').then((module) => ({ default: module.DeskPage })),
);
const BoardPage = lazyScreen(() =>
  import('../features/contacts/BoardPage.tsx').then((module) => ({ default: module.BoardPage })),
);
const AgentsPage = lazyScreen(() =>
  import('../features/contacts/AgentsPage.tsx').then((module) => ({ default: module.AgentsPage })),
);
const SettingsPage = lazyScreen(() =>
  import('../features/settings/SettingsPage.tsx').then((module) => ({ default: module.SettingsPage })),
);
const SessionsPage = lazyScreen(() =>
  import('../features/staff/SessionsPage.tsx').then((module) => ({ default: module.SessionsPage })),
);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a dropped connection or a 5xx might.
      retry: (failures, error) => !(isApiProblem(error) && error.status >= 400 && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
      // When the server answers again after being away (api/server-reach.ts), screens refetch.
      refetchOnReconnect: true,
      staleTime: 15_000,
    },
  },
});

/**
 * The server's Content-Security-Policy lets a <style> tag apply only with this page's nonce, which
 * it writes into index.html (src/server/plugins/web.ts); Mantine puts it on the style tags it adds.
 */
const styleNonce = () => document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" getStyleNonce={styleNonce}>
      <QueryClientProvider client={queryClient}>
        <ServerReachNotice />
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route
                element={
                  <RequireSession>
                    <AppLayout />
                  </RequireSession>
                }
              >
                <Route index element={<LandingRedirect />} />
                <Route
                  path="desk"
                  element={
                    <RequireRole roles={agentRoles}>
                      <DeskPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="board"
                  element={
                    <RequireRole roles={boardRoles}>
                      <BoardPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="agents"
                  element={
                    <RequireRole roles={boardRoles}>
                      <AgentsPage />
                    </RequireRole>
                  }
                />
                <Route path="identify" element={<IdentifyPage />} />
                <Route path="subscribers" element={<SubscriberListPage />} />
                <Route path="subscribers/:id" element={<SubscriberCardPage />} />
                <Route
                  path="audit"
                  element={
                    <RequireRole roles={['supervisor', 'admin']}>
                      <AuditPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="settings"
                  element={
                    <RequireRole roles={settingsRoles}>
                      <SettingsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="admin"
                  element={
                    <RequireRole roles={['admin']}>
                      <AdminPage />
                    </RequireRole>
                  }
                >
                  <Route index element={<Navigate to="staff" replace />} />
                  <Route path="staff" element={<StaffPage />} />
                  <Route path="sessions" element={<SessionsPage />} />
                </Route>
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
