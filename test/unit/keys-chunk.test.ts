import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { splitChunk, type KeyBinding } from '../../src/app/keymap.js';
import { keysOfChunk, type KeyLayer } from '../../src/app/keys-context.js';

const plain: Key = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };

/** A chunk's keys, named: text as itself, the others as <enter>, <tab>, <bs>, <del>, <^x>. */
function named(keys: [string, Key][]): string[] {
  return keys.map(([input, key]) => (key.return ? '<enter>' : key.tab ? '<tab>' : key.backspace ? '<bs>' : key.delete ? '<del>' : key.ctrl ? `<^${input}>` : input));
}

describe('splitChunk', () => {
  it.each([
    ['connector_db\r', ['connector_db', '<enter>']],
    ['name\r\n', ['name', '<enter>']],
    ['a\nb\n', ['a', '<enter>', 'b', '<enter>']],
    ['user\tS3cret\r', ['user', '<tab>', 'S3cret', '<enter>']],
    ['ab\u007f\u007fcd', ['ab', '<del>', '<del>', 'cd']],
    ['ab\bc', ['ab', '<bs>', 'c']],
    ['x\u0003', ['x', '<^c>']],
    ['a\u0000b', ['a', 'b']],
    ['hello world', ['hello world']],
    ['\r', ['<enter>']],
  ])('%j → %j', (chunk, keys) => {
    const key = chunk === '\r' ? { ...plain, return: true } : plain;
    expect(named(splitChunk(chunk, key))).toEqual(keys);
  });

  it('keeps what Ink already parsed as one key', () => {
    expect(splitChunk('x', { ...plain, meta: true })).toEqual([['x', { ...plain, meta: true }]]);
  });
});

describe('keysOfChunk', () => {
  const layer = (bindings: KeyBinding[], options: Partial<KeyLayer> = {}): KeyLayer => ({ id: 1, bindings, handlers: {}, captureText: false, modal: false, ...options });
  const typed = layer([{ command: 't', keys: ['any'], description: 'type' }], { captureText: true, modal: true });
  const selfTyped = layer([{ command: 'r', keys: ['tab'], description: 'to the result' }], { captureText: true });

  it('splits the chunk for a field that types through the dispatcher, and for plain screens', () => {
    expect(named(keysOfChunk([typed], 'connector_db\r', plain))).toEqual(['connector_db', '<enter>']);
    expect(named(keysOfChunk([layer([])], 'j\r', plain))).toEqual(['j', '<enter>']);
  });

  it('a run of letters on a screen without a field is one key each (a held j over SSH arrives as "jjj"); a field keeps its text whole', () => {
    expect(named(keysOfChunk([layer([])], 'jjG', plain))).toEqual(['j', 'j', 'G']);
    expect(keysOfChunk([layer([])], 'jG', plain).map(([, k]) => k.shift)).toEqual([false, true]);
    expect(named(keysOfChunk([layer([]), typed], 'jj', plain))).toEqual(['jj']);
  });

  it('leaves it whole for a field that reads Ink itself (it already acted on its line breaks)', () => {
    expect(keysOfChunk([layer([]), selfTyped], 'select 1;\r', plain)).toEqual([['select 1;\r', plain]]);
    // A modal question above the console takes the keys: then they are split.
    expect(named(keysOfChunk([selfTyped, layer([], { modal: true })], 'y\r', plain))).toEqual(['y', '<enter>']);
  });
});
