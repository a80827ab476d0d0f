import { Select, type SelectProps } from '@mantine/core';
import type { Ref } from 'react';

/**
 * A choice made from the keyboard: a few letters ("нет" for "Нет интернета") put the first option
 * that fits under the cursor, Enter takes it, Tab moves on; nothing chosen cannot be chosen again.
 */
export function PickOne({ ref, ...props }: SelectProps & { ref?: Ref<HTMLInputElement> }) {
  return <Select ref={ref} searchable selectFirstOptionOnChange allowDeselect={false} {...props} />;
}
