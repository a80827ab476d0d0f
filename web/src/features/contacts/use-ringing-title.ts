import { useEffect } from 'react';
import { ringingTitle } from './contact-figures.ts';

/**
 * While an offer rings, the tab's title flashes "☎ <caller>", so an agent working in another tab
 * (or another window) sees it; the title the page had comes back when it stops.
 */
export function useRingingTitle(caller: string | null) {
  useEffect(() => {
    if (caller === null) return;
    const pageTitle = document.title;
    let tick = 0;
    document.title = ringingTitle(pageTitle, caller, tick);
    const timer = window.setInterval(() => {
      tick += 1;
      document.title = ringingTitle(pageTitle, caller, tick);
    }, 1000);
    return () => {
      window.clearInterval(timer);
      document.title = pageTitle;
    };
  }, [caller]);
}
