import { useEffect, useState } from 'react';

/**
 * True once `active` has stayed true for `delayMs`: a spinner that appears only when the wait is
 * noticeable, so fast answers do not make the screen flicker at every keystroke.
 */
export function useShownAfter(active: boolean, delayMs: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!active) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(timer);
  }, [active, delayMs]);
  return shown;
}
