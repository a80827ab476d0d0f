import { describe, expect, it } from 'vitest';
import { checkProfile, draftOf, lineNames, normaliseSkills } from './agents-profile.ts';

const lines = [
  { id: 'l1', name: 'Line 1' },
  { id: 'l2', name: 'Line 2' },
  { id: 'noc', name: 'NOC' },
];
const ids = lines.map((line) => line.id);

describe('an agent’s routing profile in the edit dialog', () => {
  it('starts from the agent’s profile with no extension as an empty field', () => {
    expect(draftOf({ lines: ['l2'], skills: ['call'], extension: null })).toEqual({
      lines: ['l2'],
      skills: ['call'],
      extension: '',
    });
  });

  it('lower-cases skills and drops blanks and repeats', () => {
    expect(normaliseSkills([' Chat', 'call', 'chat ', '', 'BUSINESS'])).toEqual(['chat', 'call', 'business']);
  });

  it('sends a trimmed extension, and null for an empty one', () => {
    expect(checkProfile({ lines: ['l2'], skills: ['Call'], extension: ' 207 ' }, ids)).toEqual({
      profile: { lines: ['l2'], skills: ['call'], extension: '207' },
    });
    expect(checkProfile({ lines: ['l1', 'noc'], skills: [], extension: '  ' }, ids)).toEqual({
      profile: { lines: ['l1', 'noc'], skills: [], extension: null },
    });
  });

  it('refuses what the server would: no line, an unknown line, a skill in other letters, a blank inside an extension', () => {
    expect(checkProfile({ lines: [], skills: ['звонок'], extension: '2 07' }, ids)).toEqual({
      faults: { lines: 'linesRequired', skills: 'skillsInvalid', extension: 'extensionInvalid' },
    });
    expect(checkProfile({ lines: ['l9'], skills: [], extension: '' }, ids)).toEqual({
      faults: { lines: 'linesUnknown' },
    });
    expect(
      checkProfile({ lines: ids, skills: Array.from({ length: 21 }, (_, n) => `s${n}`), extension: '' }, ids),
    ).toEqual({ faults: { skills: 'skillsTooMany' } });
    const eleven = Array.from({ length: 11 }, (_, n) => `l${n}`);
    expect(checkProfile({ lines: eleven, skills: [], extension: '' }, eleven)).toEqual({
      faults: { lines: 'linesTooMany' },
    });
  });

  it('names lines in the configured order and keeps the id of a line no longer configured', () => {
    expect(lineNames(['noc', 'gone', 'l1'], lines)).toEqual(['Line 1', 'NOC', 'gone']);
    expect(lineNames([], lines)).toEqual([]);
  });
});
