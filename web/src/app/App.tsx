import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { isApiProblem } from '../api/client.ts';
import { LoginPage } from '../features/staff/LoginPage.tsx';
import { IdentifyPage } from '../features/subscribers/identify/IdentifyPage.tsx';
import { SubscriberListPage } from '../features/subscribers/SubscriberListPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { LandingRedirect, RequireRole, RequireSession } from './guards.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { SessionProvider } from './session.tsx';
import { theme } from './theme.ts';

// Loaded on first use, to keep the initial JavaScript within its budget (DESIGN.md, "Budgets").
const SubscriberCardPage = lazy(() =>
  import('../features/subscribers/SubscriberCardPage.tsx').then((module) => ({ default: module.SubscriberCardPage })),
);
const AdminPage = lazy(() =>
  import('../features/staff/AdminPage.tsx').then((module) => ({ default: module.AdminPage })),
);
const StaffPage = lazy(() =>
  import('../features/staff/StaffPage.tsx').then((module) => ({ default: module.StaffPage })),
);
const SessionsPage = lazy(() =>
  import('../features/staff/SessionsPage.tsx').then((module) => ({ default: module.SessionsPage })),
);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a dropped connection or a 5xx might.
      retry: (failures, error) => !(isApiProblem(error) && error.status >= 400 && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
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
                <Route path="identify" element={<IdentifyPage />} />
                <Route path="subscribers" element={<SubscriberListPage />} />
                <Route path="subscribers/:id" element={<SubscriberCardPage />} />
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
