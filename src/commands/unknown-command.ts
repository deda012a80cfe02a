/**
 * A misspelt command word. Commands that act on their own and also have
 * subcommands (the root opens the screens, `backup` takes a backup) make
 * commander read `connector-db bakcup` as an argument and answer "too many
 * arguments"; this finds the word first and names what was meant.
 */
import type { Command, Option } from 'commander';

function optionOf(command: Command | null, word: string): Option | undefined {
  for (let c = command; c; c = c.parent) {
    const found = c.options.find((o) => o.long === word || o.short === word);
    if (found) return found;
  }
  return undefined;
}

/** Edit distance with transpositions (optimal string alignment): "bakcup" is one step from "backup". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? Infinity;
}

export function unknownCommandMessage(program: Command, words: string[]): string | undefined {
  let command = program;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') return undefined;
    if (word.startsWith('-')) {
      // No option has a space in its name: this is SQL that starts with a comment ("-- report\nselect ...").
      if (/\s/.test(word.split('=')[0] as string)) {
        const shown = JSON.stringify(word.length > 24 ? `${word.slice(0, 24)}…` : word);
        return `${shown} reads as an option; SQL that starts with a comment goes after --, e.g. connector-db query -- '-- report…', or on stdin`;
      }
      // An option's value is not a command word.
      if (!word.includes('=') && optionOf(command, word)?.required) i++;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      command = sub;
      continue;
    }
    if (command.commands.length === 0 || command.registeredArguments.length > 0 || word === 'help') return undefined;
    const names = command.commands.map((c) => c.name());
    const near = names.map((n) => ({ n, d: distance(word, n) })).filter((x) => x.d <= Math.max(1, Math.floor(x.n.length / 3))).sort((a, b) => a.d - b.d)[0];
    const of = command === program ? '' : ` for '${command.name()}'`;
    return `unknown command '${word}'${of}${near ? ` (did you mean ${near.n}?)` : ''}; allowed: ${names.join(', ')}`;
  }
  return undefined;
}
