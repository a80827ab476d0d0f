import { useWindowEvent } from '@mantine/hooks';
import { useLocation, useNavigate } from 'react-router';
import { screenPaths } from '../../../app/navigation.ts';
import { cardOrigin } from '../card-location.ts';

/** The caller search box, which the shortcut focuses from anywhere in the app. */
export const callerSearchBoxId = 'caller-search';

const isTextField = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Ctrl+K (⌘K) anywhere, and "/" outside text fields, as in most web tools. Ctrl+K is matched by
 * the physical key: on the Russian layout the same key types "л".
 */
export function isCallerSearchShortcut(event: KeyboardEvent): boolean {
  if (event.altKey) return false;
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.code === 'KeyK') return true;
  return event.key === '/' && !event.ctrlKey && !event.metaKey && !isTextField(event.target);
}

/**
 * The next call can start from any screen: the shortcut opens the caller search and focuses its
 * box. From a card opened by a search, the search comes back as it was (selected, so typing
 * replaces it).
 */
export function useCallerSearchShortcut() {
  const navigate = useNavigate();
  const location = useLocation();
  useWindowEvent('keydown', (event) => {
    if (!isCallerSearchShortcut(event)) return;
    event.preventDefault();
    const box = document.getElementById(callerSearchBoxId);
    if (box instanceof HTMLInputElement) {
      box.focus();
      box.select();
    } else {
      const origin = cardOrigin(location.state);
      navigate(origin.screen === 'identify' ? origin.path : screenPaths.identify);
    }
  });
}
