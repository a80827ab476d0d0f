/** The demo ISP every test starts from: small, and the same on every run. */
// A fixed reference day, so dates in the test data (payments, announced prices) do not move daily.
export const TEST_DEMO = { subscribers: 1_000, seed: 42, today: '2026-11-25' } as const;
