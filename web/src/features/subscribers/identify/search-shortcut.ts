import { useWindowEvent } from '@mantine/hooks';
import { useNavigate } from 'react-router';
import { screenPaths } from '../../../app/navigation.ts';

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
 * The next call can start from any screen: the shortcut opens a new caller search and focuses its
 * box (Esc on a card still goes back to the search it came from).
 */
export function useCallerSearchShortcut() {
  const navigate = useNavigate();
  useWindowEvent('keydown', (event) => {
    if (!isCallerSearchShortcut(event)) return;
    event.preventDefault();
    const box = document.getElementById(callerSearchBoxId);
    if (box instanceof HTMLInputElement) {
      box.focus();
      box.select();
    } else {
      // From a card or any other screen the shortcut is the next call: a new, empty search.
      navigate(screenPaths.identify);
    }
  });
}
