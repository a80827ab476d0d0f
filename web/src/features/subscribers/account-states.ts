import type { AccountState } from '@common/api/subscribers.ts';
import type { MantineColor } from '@mantine/core';

// Only types come from the server's schemas (their values would pull TypeBox into the bundle).
// A Record over the API's union: a state added on the server breaks this build until it has a colour.
export const accountStateColors: Record<AccountState, MantineColor> = {
  active: 'teal',
  blocked_debt: 'red',
  suspended: 'yellow',
  closed: 'gray',
};

/** All account states, in the order the filter offers them. */
export const accountStates = Object.keys(accountStateColors) as AccountState[];
