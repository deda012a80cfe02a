/**
 * Commands shown to a person to copy: every value that came from settings
 * or was typed (names with quotes, spaces, `;`) is shell-quoted, so the
 * copied line does what it says and nothing else.
 */

/** A word for sh/bash/zsh: bare when it is plainly safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Join words into one command line, quoting each. */
export function shellCommand(words: string[]): string {
  return words.map(shellQuote).join(' ');
}
