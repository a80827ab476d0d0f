import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A screen whose search lives in the address bar (so "back" from a card and a reload keep it)
 * while the operator edits a draft of it. `write` replaces the URL's search without a history
 * entry; `onNavigated` hears only the changes that came from elsewhere (a nav click, "back"),
 * told from the screen's own writes, so the draft is reset then and never under the operator's
 * fingers.
 */
export function useAddressBarSearch(onNavigated: (params: URLSearchParams) => void) {
  const [searchParams, setSearchParams] = useSearchParams();
  const searchString = searchParams.toString();
  const written = useRef(searchString);

  const write = (next: URLSearchParams) => {
    written.current = next.toString();
    setSearchParams(next, { replace: true });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: reacts to the URL only, whatever the callback's identity
  useEffect(() => {
    if (searchString === written.current) return;
    written.current = searchString;
    onNavigated(new URLSearchParams(searchString));
  }, [searchString]);

  return [searchParams, write] as const;
}
