import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELL_CHARS, cellText, columnWidths, expandedLines, fitCell, rowSegments, scrollTop, visibleColumns } from '../../src/components/grid-layout.js';
import { editText, editorWith, EMPTY_EDITOR } from '../../src/components/editor-state.js';
import { rowViewLines, wrapText } from '../../src/components/RowView.js';
import { RowStore } from '../../src/core/query/row-store.js';

describe('grid layout', () => {
  it('measures wide characters and cuts with an ellipsis', () => {
    expect(fitCell('世界世界', 5)).toBe('世界…');
    expect(fitCell('世界世界', 6)).toBe('世界… ');
    expect(fitCell('abc', 5)).toBe('abc  ');
    expect(columnWidths([{ name: 'id' }, { name: 'v' }], [['1', '世界'], ['22', null]], 40)).toEqual([2, 4]);
    expect(columnWidths([{ name: 'x' }], [['y'.repeat(100)]], 40)).toEqual([40]);
  });
  it('marks NULL segments apart from the empty string and the text ∅', () => {
    const segs = rowSegments([null, '', '∅'], [{ index: 0, width: 2 }, { index: 1, width: 2 }, { index: 2, width: 2 }]);
    expect(segs).toEqual([
      { text: '∅ ', isNull: true },
      { text: '    ∅ ', isNull: false },
    ]);
  });
  it('fits columns from the scroll position and keeps the selection on screen', () => {
    expect(visibleColumns([10, 10, 10], 1, 25)).toEqual([{ index: 1, width: 10 }, { index: 2, width: 10 }]);
    expect(visibleColumns([100], 0, 30)).toEqual([{ index: 0, width: 30 }]);
    expect(scrollTop(0, 25, 20)).toBe(6);
    expect(scrollTop(10, 5, 20)).toBe(5);
    expect(scrollTop(10, 15, 20)).toBe(10);
  });
  it('lays records out like psql\'s \\x', () => {
    const lines = expandedLines(['id', 'name'], (i) => [String(i + 1), i === 0 ? null : 'b'], 0, 2, 10, 40);
    expect(lines[0]).toMatchObject({ kind: 'record' });
    expect((lines[0] as { text: string }).text.startsWith('-[ RECORD 1 ]')).toBe(true);
    expect(lines[2]).toEqual({ kind: 'field', name: 'name', value: '∅', isNull: true });
    expect(lines).toHaveLength(6);
  });
  it('wraps a row for the full view, keeping its own newlines', () => {
    expect(wrapText('abcdef\ngh', 4)).toEqual(['abcd', 'ef', 'gh']);
    expect(rowViewLines([{ name: 'a', type: 'text', value: null }, { name: 'b', type: 'text', value: '' }], 20).map((l) => l.text)).toEqual(['a (text)', '  NULL', 'b (text)', '  (empty string)']);
  });
});

describe('editor', () => {
  it('inserts, moves by code point, edits lines and kills words', () => {
    let s = editText(EMPTY_EDITOR, 'insert', 'select 😀')!;
    s = editText(s, 'backspace')!;
    expect(s).toEqual({ text: 'select ', cursor: 7 });
    s = editText(editorWith('select 1,\n  2;'), 'up')!;
    expect(s.cursor).toBe(4);
    expect(editText(s, 'up')).toBeUndefined();
    expect(editText(editorWith('a\nb'), 'down')).toBeUndefined();
    expect(editText(editorWith('select foo bar'), 'kill-word')).toEqual({ text: 'select foo ', cursor: 11 });
    expect(editText(editorWith('one\ntwo'), 'kill-before')).toEqual({ text: 'one\n', cursor: 4 });
  });
});

describe('row store', () => {
  it('keeps a few pages in memory, spills the rest to an unlinked private file, and reads them back', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cdb-store-test-'));
    const store = new RowStore({ pageSize: 10, pagesInMemory: 2, tmpDir: tmp });
    for (let i = 0; i < 100; i++) store.push([[String(i), i % 3 === 0 ? null : `v${i}`]]);
    expect(store.length).toBe(100);
    expect(store.spilledPages).toBeGreaterThanOrEqual(7);
    expect(readdirSync(tmp)).toEqual([]); // nothing left on disk by name
    for (const i of [0, 55, 99, 3, 42]) expect(store.get(i)).toEqual([String(i), i % 3 === 0 ? null : `v${i}`]);
    store.close();
    expect(store.get(5)).toBeUndefined();
  });
});

describe('cellText', () => {
  it('cuts a long value before anything measures it, and shows control characters as \\xHH', () => {
    const text = cellText('x'.repeat(200_000));
    expect(text).toHaveLength(CELL_CHARS + 1);
    expect(text.endsWith('…')).toBe(true);
    expect(cellText('a\tb\r\nc\u001b[2Jd\u009be\u007f')).toBe('a→b↵c\\x1b[2Jd\\x9be\\x7f');
    expect(cellText(null)).toBe('∅');
  });
});
