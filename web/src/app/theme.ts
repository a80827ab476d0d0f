import { createTheme } from '@mantine/core';

/** Dense by default: operators look at many rows and fields at once, on ordinary office screens. */
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '600' },
  components: {
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' } },
    TextInput: { defaultProps: { size: 'sm' } },
    PasswordInput: { defaultProps: { size: 'sm' } },
    NativeSelect: { defaultProps: { size: 'sm' } },
    Select: { defaultProps: { size: 'sm' } },
    // A badge is a short status ("blocked for debt"): never cut it to "BLOCKED FO…" in a tight table.
    Badge: { defaultProps: { radius: 'sm' }, styles: { root: { minWidth: 'max-content' } } },
    Paper: { defaultProps: { radius: 'sm' } },
  },
});
