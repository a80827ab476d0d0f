import { describe, expect, it } from 'vitest';
import { type DeskSituation, deskActionFor, deskKeys, type KeyPress } from './desk-keys.ts';

const press = (code: string, more: Partial<KeyPress> = {}): KeyPress => ({
  code,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  repeat: false,
  target: null,
  ...more,
});

const idle: DeskSituation = { ringing: false, onContact: false, needsOutcome: false, afterWork: false };
const ringing: DeskSituation = { ...idle, ringing: true };
const talking: DeskSituation = { ...idle, onContact: true };
const writingUp: DeskSituation = { ...idle, afterWork: true };

describe('the desk’s keys', () => {
  it('accept a ringing offer with A or Enter, and only while it rings', () => {
    expect(deskActionFor(press('KeyA'), ringing)).toBe('accept');
    expect(deskActionFor(press('Enter'), ringing)).toBe('accept');
    expect(deskActionFor(press('NumpadEnter'), ringing)).toBe('accept');
    expect(deskActionFor(press('KeyA'), idle)).toBeNull();
    expect(deskActionFor(press('Enter'), talking)).toBeNull();
  });

  it('hold, note and end only on a contact; done only in after-contact work', () => {
    expect(deskActionFor(press('KeyH'), talking)).toBe('hold');
    expect(deskActionFor(press('KeyN'), talking)).toBe('note');
    expect(deskActionFor(press('KeyE'), talking)).toBe('end');
    expect(deskActionFor(press('KeyH'), idle)).toBeNull();
    expect(deskActionFor(press('KeyE'), writingUp)).toBeNull();
    expect(deskActionFor(press('KeyD'), writingUp)).toBe('done');
    expect(deskActionFor(press('KeyD'), talking)).toBeNull();
  });

  it('end a contact the caller hung up on, so its reason and outcome can still be given', () => {
    const hungUp: DeskSituation = { ...idle, afterWork: true, needsOutcome: true };
    expect(deskActionFor(press('KeyE'), hungUp)).toBe('end');
    expect(deskActionFor(press('KeyH'), hungUp)).toBeNull();
  });

  it('change the agent’s state with 1, 2 and 3 on either digit row', () => {
    expect(deskActionFor(press('Digit1'), idle)).toBe('available');
    expect(deskActionFor(press('Numpad2'), talking)).toBe('break');
    expect(deskActionFor(press('Digit3'), ringing)).toBe('offline');
  });

  it('leave keys with a modifier or held down alone (Ctrl+K is the caller search’s)', () => {
    expect(deskActionFor(press('KeyA', { ctrlKey: true }), ringing)).toBeNull();
    expect(deskActionFor(press('KeyH', { altKey: true }), talking)).toBeNull();
    expect(deskActionFor(press('KeyH', { metaKey: true }), talking)).toBeNull();
    expect(deskActionFor(press('KeyE', { shiftKey: true }), talking)).toBeNull();
    expect(deskActionFor(press('KeyH', { repeat: true }), talking)).toBeNull();
  });

  it('ignore keys nothing is bound to', () => {
    expect(deskActionFor(press('KeyZ'), talking)).toBeNull();
    expect(deskActionFor(press('Space'), ringing)).toBeNull();
  });

  it('bind each physical key to one action only', () => {
    const codes = Object.values(deskKeys).flatMap((key) => key.codes);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('the desk’s keys beside fields and buttons', () => {
  const element = (tagName: string, role: string | null = null, editable = false) => ({
    tagName,
    isContentEditable: editable,
    getAttribute: (name: string) => (name === 'role' ? role : null),
  });

  it('are letters typed while the agent writes in a field', () => {
    expect(deskActionFor(press('KeyN', { target: element('TEXTAREA') }), talking)).toBeNull();
    expect(deskActionFor(press('KeyA', { target: element('INPUT') }), ringing)).toBeNull();
    expect(deskActionFor(press('Digit2', { target: element('SELECT') }), idle)).toBeNull();
    expect(deskActionFor(press('KeyE', { target: element('DIV', null, true) }), talking)).toBeNull();
  });

  it('leave Enter to the button or candidate that has the focus, but A still accepts', () => {
    expect(deskActionFor(press('Enter', { target: element('BUTTON') }), ringing)).toBeNull();
    expect(deskActionFor(press('Enter', { target: element('DIV', 'option') }), ringing)).toBeNull();
    expect(deskActionFor(press('KeyA', { target: element('BUTTON') }), ringing)).toBe('accept');
    expect(deskActionFor(press('Enter', { target: element('MAIN') }), ringing)).toBe('accept');
  });
});
