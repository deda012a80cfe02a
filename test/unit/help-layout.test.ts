import { describe, expect, it } from 'vitest';
import { helpKeyBindings, layoutHelp, maxHelpTop, type HelpLayout } from '../../src/components/help-layout.js';
import type { KeyBinding } from '../../src/app/keymap.js';

const binding = (command: string, keys: string[], description: string): KeyBinding => ({ command, keys, description });
const many = (n: number) => Array.from({ length: n }, (_, i) => binding(`c${i}`, [String.fromCharCode(97 + i)], `does thing number ${i}`));
const width = (l: HelpLayout, line: { keys: string; text: string }) => l.keyWidth + line.text.length;

describe('layoutHelp', () => {
  it('a list that fits is one column, nothing to scroll', () => {
    const l = layoutHelp(many(5), 80, 19);
    expect(l.columns).toHaveLength(1);
    expect(l.scrollable).toBe(false);
    expect(l.columns[0]?.map((x) => x.keys)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(maxHelpTop(l)).toBe(0);
  });

  it('a command bound in several layers shows once', () => {
    const l = layoutHelp([binding('quit', ['q'], 'quit here'), binding('quit', ['q'], 'quit globally')], 80, 19);
    expect(l.columns[0]?.map((x) => x.text)).toEqual(['quit here']);
  });

  it('at 80x24 a long list scrolls; descriptions wrap under themselves and no line is wider than the box', () => {
    // Key labels as wide as the console's (a third of a half line leaves too little room for two columns).
    const long = [...many(14).map((b) => ({ ...b, keys: [...b.keys, 'home', 'end'] })), binding('x', ['ctrl+c'], 'cancel the running statement on the server; when idle, ask before quitting and more words here')];
    const l = layoutHelp(long, 80, 19);
    expect(l.scrollable).toBe(true);
    expect(l.columns).toHaveLength(1);
    expect(l.bodyHeight).toBe(15);
    const lines = l.columns[0] ?? [];
    expect(lines.length).toBeGreaterThan(15);
    expect(maxHelpTop(l)).toBe(lines.length - 15);
    for (const line of lines) expect(width(l, line)).toBeLessThanOrEqual(76);
    const at = lines.findIndex((x) => x.keys === '^C');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]?.keys).toBe('');
    expect(lines.slice(at).map((x) => x.text.trim()).join(' ')).toBe('cancel the running statement on the server; when idle, ask before quitting and more words here');
  });

  it('a wide terminal puts the list in two balanced columns instead of scrolling', () => {
    const l = layoutHelp(many(20), 140, 19);
    expect(l.scrollable).toBe(false);
    expect(l.columns).toHaveLength(2);
    expect(l.columns[0]).toHaveLength(10);
    expect(l.columns[1]).toHaveLength(10);
    expect(l.columns[1]?.[0]?.keys).toBe('k');
  });

  it('short labels and descriptions may take two columns even at 80', () => {
    const l = layoutHelp(many(20), 80, 19);
    expect(l.columns).toHaveLength(2);
    for (const column of l.columns) for (const line of column) expect(width(l, line)).toBeLessThanOrEqual(36);
  });

  it('two columns are not used when they would not fit either', () => {
    const l = layoutHelp(many(40), 140, 19);
    expect(l.scrollable).toBe(true);
    expect(l.columns).toHaveLength(1);
  });

  it('a key label longer than a third of the line gets a row of its own', () => {
    const l = layoutHelp([binding('n', ['n', 'N', 'escape', 'return', 'ctrl+c', 'shift+tab', 'pagedown'], 'no')], 60, 19);
    expect(l.columns[0]).toEqual([
      { keys: 'n / N / esc / enter / ^C / shift+tab / pgdn', text: '' },
      { keys: '', text: 'no' },
    ]);
  });
});

describe('the overlay keys', () => {
  it('scroll keys only when there is something to scroll; any key closes', () => {
    expect(helpKeyBindings(false).map((b) => b.command)).toEqual(['close-help']);
    expect(helpKeyBindings(true).map((b) => b.command)).toEqual(['help-line', 'help-page', 'help-ends', 'close-help']);
  });
});
