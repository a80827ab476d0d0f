/** What an agent can do on the desk from the keyboard. */
export type DeskAction = 'available' | 'break' | 'offline' | 'accept' | 'hold' | 'note' | 'end' | 'done';

/**
 * Keys are matched by the physical key (`event.code`), so they work with the Russian layout too:
 * the key marked A types "ф" there. The label is what the buttons show.
 */
export const deskKeys: Record<DeskAction, { codes: readonly string[]; label: string }> = {
  available: { codes: ['Digit1', 'Numpad1'], label: '1' },
  break: { codes: ['Digit2', 'Numpad2'], label: '2' },
  offline: { codes: ['Digit3', 'Numpad3'], label: '3' },
  accept: { codes: ['KeyA', 'Enter', 'NumpadEnter'], label: 'Enter / A' },
  hold: { codes: ['KeyH'], label: 'H' },
  note: { codes: ['KeyN'], label: 'N' },
  end: { codes: ['KeyE'], label: 'E' },
  done: { codes: ['KeyD'], label: 'D' },
};

/** The note field adds its text with this; plain Enter makes a new line. */
export const addNoteKeyLabel = 'Ctrl+Enter';

/** What the desk shows right now, which decides what a key may do. */
export interface DeskSituation {
  ringing: boolean;
  /** A contact the agent is talking on (not yet ended). */
  onContact: boolean;
  /** A contact whose caller hung up before the agent gave its reason and outcome. */
  needsOutcome: boolean;
  /** A contact in its after-contact work. */
  afterWork: boolean;
}

export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  target: unknown;
}

const typingTags = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
// Enter on these already does what they say (press the button, open the candidate).
const enterTakers = new Set(['BUTTON', 'A', 'SUMMARY']);
const enterTakingRoles = new Set(['button', 'link', 'option', 'menuitem', 'tab']);

/** What the key press landed on, as much of an element as these rules read. */
interface Target {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?: (name: string) => string | null;
}

const asTarget = (target: unknown): Target => (typeof target === 'object' && target !== null ? (target as Target) : {});

function isTyping(target: unknown): boolean {
  const element = asTarget(target);
  return element.isContentEditable === true || typingTags.has(element.tagName ?? '');
}

function takesEnter(target: unknown): boolean {
  const element = asTarget(target);
  return enterTakers.has(element.tagName ?? '') || enterTakingRoles.has(element.getAttribute?.('role') ?? '');
}

const possible = (action: DeskAction, situation: DeskSituation): boolean => {
  switch (action) {
    case 'accept':
      return situation.ringing;
    case 'hold':
    case 'note':
      return situation.onContact;
    case 'end':
      return situation.onContact || situation.needsOutcome;
    case 'done':
      return situation.afterWork;
    default:
      return true;
  }
};

/**
 * The desk action a key press asks for, or null to leave the key alone: typing in a field, a
 * modifier held (Ctrl+K is the caller search's), a key held down (a repeated H would hold and
 * resume in turn), or an action the desk does not offer now.
 */
export function deskActionFor(press: KeyPress, situation: DeskSituation): DeskAction | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.shiftKey || press.repeat) return null;
  if (isTyping(press.target)) return null;
  const isEnter = press.code === 'Enter' || press.code === 'NumpadEnter';
  if (isEnter && takesEnter(press.target)) return null;
  for (const [action, key] of Object.entries(deskKeys) as [DeskAction, (typeof deskKeys)[DeskAction]][]) {
    if (key.codes.includes(press.code)) return possible(action, situation) ? action : null;
  }
  return null;
}
