/** The demo ISP every test starts from: small, and the same on every run. */
export const TEST_DEMO = { subscribers: 1_000, seed: 42 } as const;
