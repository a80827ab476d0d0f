import type { AgentProfile } from '@common/api/contacts.ts';

// The server's rules (AgentProfile in src/common/api/contacts.ts), checked here to answer at once.
const maxLines = 10;
const maxSkills = 20;
const skillRule = /^[a-z0-9_-]{1,40}$/;
const extensionRule = /^[A-Za-z0-9*#+/@._-]{1,40}$/;

/** The skills routing knows by name; others (e.g. 'business') are typed in. */
export const suggestedSkills = ['call', 'chat'] as const;

/** What the edit dialog holds: the extension as typed, empty for none. */
export interface ProfileDraft {
  lines: string[];
  skills: string[];
  extension: string;
}

export type ProfileFault =
  | 'linesRequired'
  | 'linesTooMany'
  | 'linesUnknown'
  | 'skillsInvalid'
  | 'skillsTooMany'
  | 'extensionInvalid';
export type ProfileFaults = Partial<Record<keyof ProfileDraft, ProfileFault>>;

export const draftOf = (profile: AgentProfile): ProfileDraft => ({
  lines: [...profile.lines],
  skills: [...profile.skills],
  extension: profile.extension ?? '',
});

/** Skills as typed become lower case, without blanks or repeats ('Chat ' and 'chat' are one skill). */
export function normaliseSkills(typed: readonly string[]): string[] {
  const skills: string[] = [];
  for (const text of typed) {
    const skill = text.trim().toLowerCase();
    if (skill && !skills.includes(skill)) skills.push(skill);
  }
  return skills;
}

/** The profile to send, or what is wrong with the draft, field by field. */
export function checkProfile(
  draft: ProfileDraft,
  knownLines: readonly string[],
): { profile: AgentProfile } | { faults: ProfileFaults } {
  const faults: ProfileFaults = {};
  if (draft.lines.length === 0) faults.lines = 'linesRequired';
  else if (draft.lines.length > maxLines) faults.lines = 'linesTooMany';
  else if (draft.lines.some((line) => !knownLines.includes(line))) faults.lines = 'linesUnknown';
  const skills = normaliseSkills(draft.skills);
  if (skills.some((skill) => !skillRule.test(skill))) faults.skills = 'skillsInvalid';
  else if (skills.length > maxSkills) faults.skills = 'skillsTooMany';
  const extension = draft.extension.trim();
  if (extension && !extensionRule.test(extension)) faults.extension = 'extensionInvalid';
  if (Object.keys(faults).length > 0) return { faults };
  return { profile: { lines: [...new Set(draft.lines)], skills, extension: extension || null } };
}

/** An agent's lines by their names, in the configured order; a line no longer configured shows its id. */
export function lineNames(ids: readonly string[], lines: readonly { id: string; name: string }[]): string[] {
  const known = lines.filter((line) => ids.includes(line.id)).map((line) => line.name);
  const gone = ids.filter((id) => !lines.some((line) => line.id === id));
  return [...known, ...gone];
}
