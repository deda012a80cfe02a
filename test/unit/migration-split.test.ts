/**
 * Our split of a migration file must be the runner's: the same up and down
 * texts as node-pg-migrate's own SQL loader (getActions), for every shape of
 * marker it accepts. Offsets must point at the section in the file.
 */
import { describe, expect, it } from 'vitest';
import { getActions } from 'node-pg-migrate/sqlMigration';
import { lineAt, splitMigration } from '../../src/core/migrations/split.js';

function runnerSplit(content: string): { up: string; down: string | undefined } {
  const actions = getActions(content);
  const capture = (action: unknown): string | undefined => {
    if (typeof action !== 'function') return undefined;
    let text: string | undefined;
    (action as (pgm: { sql: (s: string) => void }) => void)({ sql: (s: string) => (text = s) });
    return text;
  };
  return { up: capture(actions.up) as string, down: capture(actions.down) };
}

const CASES: Record<string, string> = {
  'standard markers': '-- header\n\n-- Up Migration\nCREATE TABLE a (id int);\n\n-- Down Migration\nDROP TABLE a;\n',
  'lower case': '-- up migration\nselect 1;\n-- down migration\nselect 2;\n',
  'shouting, extra dashes and spaces': '---- UP   MIGRATION ----\nselect 1;\n  --  - Down Migration\nselect 2;',
  'down before up': '-- Down Migration\nDROP TABLE a;\n-- Up Migration\nCREATE TABLE a ();\n',
  'no down marker': '-- Up Migration\nselect 1;\n',
  'no markers at all': 'select 1;\nselect 2;\n',
  'marker text mid-line is not a marker': 'select 1; -- up migration here\n-- Up Migration\nselect 2;\n-- Down Migration\nselect 3; -- down migration\n',
  'blank lines before the marker (\\s* crosses lines)': 'select 0;\n\n\n-- Up Migration\nselect 1;\n\n\n-- Down Migration\n',
  'empty down': '-- Up Migration\nselect 1;\n-- Down Migration\n',
  'crlf': '-- Up Migration\r\nselect 1;\r\n-- Down Migration\r\nselect 2;\r\n',
};

describe('splitMigration matches node-pg-migrate', () => {
  for (const [name, content] of Object.entries(CASES)) {
    it(name, () => {
      const ours = splitMigration(content);
      const theirs = runnerSplit(content);
      expect(ours.up.text).toBe(theirs.up);
      expect(ours.down?.text).toBe(theirs.down);
      expect(content.slice(ours.up.start, ours.up.start + ours.up.text.length)).toBe(ours.up.text);
      if (ours.down) expect(content.slice(ours.down.start, ours.down.start + ours.down.text.length)).toBe(ours.down.text);
    });
  }

  it('reads the no-transaction header only before the first marker', () => {
    expect(splitMigration('-- Revision 9\n-- connector-db: no-transaction\n-- Up Migration\nselect 1;\n').noTransaction).toBe(true);
    expect(splitMigration('-- Up Migration\n-- connector-db: no-transaction\nselect 1;\n').noTransaction).toBe(false);
    expect(splitMigration('-- To run outside a transaction, add: connector-db: no-transaction\n-- Up Migration\n').noTransaction).toBe(false);
  });

  it('lineAt counts lines from 1', () => {
    expect(lineAt('a\nb\nc', 0)).toBe(1);
    expect(lineAt('a\nb\nc', 2)).toBe(2);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
  });
});
