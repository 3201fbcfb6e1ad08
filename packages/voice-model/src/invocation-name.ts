/*
 * Amazon's invocation-name requirements for a custom skill (developer.amazon.com, "Choose the Invocation
 * Name for a Custom Skill"), checked before a package is generated so a merchant hears about a bad name
 * from us, in plain words, not from certification a week later.
 */

/** Words that wake a device: a name containing one would be cut short by the device itself. */
const WAKE_WORDS = ['alexa', 'amazon', 'echo', 'computer'];
/** Launch phrases and connecting words Alexa parses around the name ("ask … to …"). */
const LAUNCH_AND_CONNECTING = [
  'ask',
  'tell',
  'open',
  'launch',
  'begin',
  'start',
  'load',
  'run',
  'resume',
  'play',
  'use',
  'enable',
  'to',
  'from',
  'by',
  'if',
  'and',
  'whether',
];
/** A two-word name may not lean on one of these for its second word. */
const ARTICLES_AND_PREPOSITIONS = ['the', 'a', 'an', 'for', 'to', 'of'];

export type InvocationNameCheck = { ok: true; name: string } | { ok: false; problems: string[] };

export function checkInvocationName(raw: string): InvocationNameCheck {
  const name = raw.trim().replace(/\s+/g, ' ');
  const problems: string[] = [];
  if (name.length < 2 || name.length > 50) problems.push('It must be 2 to 50 characters long.');
  // Lower-case letters, spaces, possessive apostrophes ("sam's") and periods of abbreviations ("a. b. c.").
  if (!/^[a-z .']*$/.test(name)) {
    problems.push(
      /[0-9]/.test(name)
        ? 'Numbers must be spelled out ("twenty one", not "21").'
        : /[A-Z]/.test(name)
          ? `Only lower-case letters: "${name.toLowerCase()}".`
          : "Only lower-case letters, spaces, possessive apostrophes (sam's) and periods of abbreviations (a. b. c.).",
    );
  }
  if (/'/.test(name) && !/^[^']*(?:[a-z]'s\b[^']*)*$/.test(name)) {
    problems.push("An apostrophe may only make a possessive (sam's).");
  }
  if (/\./.test(name) && !/^(?:[^.]*\b[a-z]\.)+[^.]*$/.test(name)) {
    problems.push('A period may only follow a single letter, as in "a. b. c.".');
  }
  const words = name.split(' ').filter((w) => w !== '');
  if (words.length < 2) {
    problems.push('It must be at least two words (one word only for a brand you can prove you own).');
  }
  const bare = words.map((w) => w.toLowerCase().replace(/'s$|\.$/, ''));
  const wake = bare.filter((w) => WAKE_WORDS.includes(w));
  if (wake.length > 0) problems.push(`It may not contain a wake word: ${wake.join(', ')}.`);
  const launch = bare.filter((w) => LAUNCH_AND_CONNECTING.includes(w));
  if (launch.length > 0) {
    problems.push(`It may not contain Alexa's launch phrases or connecting words: ${launch.join(', ')}.`);
  }
  if (words.length === 2 && bare.some((w) => ARTICLES_AND_PREPOSITIONS.includes(w))) {
    problems.push('A two-word name may not include "the", "a", "an", "for", "to" or "of".');
  }
  return problems.length === 0 ? { ok: true, name } : { ok: false, problems };
}
