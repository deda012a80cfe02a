/**
 * The one input dispatcher. Screens and overlays register layers of
 * bindings; a key goes to the newest layer first, then older ones, then the
 * global bindings. A layer that holds a text field claims printable keys so
 * that typing "q" in a query does not quit.
 */
import React, { createContext, useContext, useLayoutEffect, useMemo, useRef } from 'react';
import { useInput, useStdin, type Key } from 'ink';
import { unstable_IdlePriority as IdlePriority, unstable_scheduleCallback as scheduleCallback } from 'scheduler';
import { isPrintable, matches, splitChunk, type KeyBinding } from './keymap.js';

export type KeyHandlers = Record<string, (input: string, key: Key) => void>;

export interface KeyLayer {
  id: number;
  bindings: KeyBinding[];
  handlers: KeyHandlers;
  /**
   * Printable keys belong to a text field in this layer. The field either
   * types through this layer's `any` binding, or, without one, reads Ink's
   * input itself (the console's editor).
   */
  captureText: boolean;
  /** Nothing below this layer sees any key (an overlay or a confirmation). */
  modal: boolean;
}

interface Registry {
  layers: React.MutableRefObject<KeyLayer[]>;
  nextId: React.MutableRefObject<number>;
  version: number;
  bump: () => void;
}

const KeysContext = createContext<Registry | null>(null);

export function dispatchKey(layers: KeyLayer[], globals: { bindings: KeyBinding[]; handlers: KeyHandlers }, input: string, key: Key): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i] as KeyLayer;
    for (const binding of layer.bindings) {
      const handler = layer.handlers[binding.command];
      if (handler && binding.keys.some((k) => matches(k, input, key))) {
        handler(input, key);
        return true;
      }
    }
    if (layer.modal) return false;
    if (layer.captureText && input.length > 0 && !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab) return false;
  }
  for (const binding of globals.bindings) {
    const handler = globals.handlers[binding.command];
    if (handler && binding.keys.some((k) => matches(k, input, key))) {
      const claimed = layers.some((l) => l.captureText) && binding.keys.every(isPrintable);
      if (claimed) return false;
      handler(input, key);
      return true;
    }
  }
  return false;
}

/** The newest layer that takes text, unless a modal layer (which takes every key) is above it. */
function textLayer(layers: KeyLayer[]): KeyLayer | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i] as KeyLayer;
    if (layer.captureText) return layer;
    if (layer.modal) return undefined;
  }
  return undefined;
}

/** That layer's field reads Ink's input itself (the console's editor), rather than typing through an `any` binding. */
export function fieldReadsInk(layers: KeyLayer[]): boolean {
  const layer = textLayer(layers);
  return layer !== undefined && !layer.bindings.some((b) => b.keys.includes('any'));
}

/**
 * The keys a read from the terminal holds, as the dispatcher hands them out.
 * Ink keeps plain text whole, control characters included ("name\r"); its
 * Enter, Tab, Backspace and Ctrl keys are split out (splitChunk) so they act
 * as if typed alone, and where no field takes text, so is every letter. Not
 * while a field that reads Ink's input itself has the keys: it got the whole
 * chunk, line breaks included, and acts on them.
 */
export function keysOfChunk(layers: KeyLayer[], input: string, key: Key): [string, Key][] {
  if (fieldReadsInk(layers)) return [[input, key]];
  const keys = splitChunk(input, key);
  if (textLayer(layers)) return keys;
  // No field takes text: a run of letters is keys pressed one after another ("jjj" is a held j over SSH).
  return keys.flatMap(([text, k]): [string, Key][] => (text.length > 1 && !k.ctrl && !k.meta ? [...text].map((c): [string, Key] => [c, { ...k, shift: /[A-Z]/.test(c) }]) : [[text, k]]));
}

export function KeysProvider({ globals, children }: { globals: { bindings: KeyBinding[]; handlers: KeyHandlers }; children: React.ReactNode }) {
  const layers = useRef<KeyLayer[]>([]);
  const nextId = useRef(1);
  const [version, setVersion] = React.useState(0);
  const globalsRef = useRef(globals);
  globalsRef.current = globals;
  const { isRawModeSupported } = useStdin();
  // Keys that arrive in one chunk (a slow SSH link, key repeat, a paste) are
  // split into keys (keysOfChunk) and handed out one at a time, each only
  // after React has rendered what the previous one changed: handlers read the
  // selection from the last render, so ↓ ↓ Enter must see both moves.
  // A key's state change outside Ink's own input batch is rendered by a task
  // that React queues (from a microtask) in its scheduler; the next key waits
  // in the same scheduler at idle priority, queued from a microtask after
  // React's, so it runs once that render is done (a setImmediate ran before
  // it: ↓ ↓ ↓ Enter opened the second entry in a real terminal). Text fields
  // still read and write refs.
  const queue = useRef<[string, Key][]>([]);
  const draining = useRef(false);
  const drain = useRef(() => {
    const next = queue.current.shift();
    if (!next) {
      draining.current = false;
      return;
    }
    dispatchKey(layers.current, globalsRef.current, next[0], next[1]);
    queueMicrotask(() => scheduleCallback(IdlePriority, drain.current));
  });
  // Ink only checks `=== false`; the value can be undefined without a TTY.
  useInput(
    (input, key) => {
      // The console's editor read this key already, at once: the screen's own bindings
      // (Tab, ^O) must see it at once too, before the frame it causes adds a question
      // that would take the same Enter as its answer.
      if (queue.current.length === 0 && !draining.current && fieldReadsInk(layers.current)) {
        // A key the screen took (Tab to the result) changes what the next one means: those after it wait for the render.
        if (dispatchKey(layers.current, globalsRef.current, input, key)) {
          draining.current = true;
          queueMicrotask(() => scheduleCallback(IdlePriority, drain.current));
        }
        return;
      }
      queue.current.push(...keysOfChunk(layers.current, input, key));
      if (draining.current) return;
      draining.current = true;
      drain.current();
    },
    { isActive: isRawModeSupported === true },
  );
  const value = useMemo<Registry>(() => ({ layers, nextId, version, bump: () => setVersion((v) => v + 1) }), [version]);
  return <KeysContext.Provider value={value}>{children}</KeysContext.Provider>;
}

/**
 * Register this component's bindings while it is mounted (and `active`).
 * Handlers may change every render; the latest ones are used.
 */
export function useKeys(bindings: KeyBinding[], handlers: KeyHandlers, options: { active?: boolean; captureText?: boolean; modal?: boolean } = {}): void {
  const registry = useContext(KeysContext);
  if (!registry) throw new Error('useKeys needs a KeysProvider');
  const layerRef = useRef<KeyLayer | null>(null);
  const active = options.active ?? true;
  if (layerRef.current) {
    layerRef.current.bindings = bindings;
    layerRef.current.handlers = handlers;
    layerRef.current.captureText = options.captureText ?? false;
    layerRef.current.modal = options.modal ?? false;
  }
  const { layers, nextId, bump } = registry;
  // A layout effect: the layer is in place within the same commit that draws
  // the screen, so a key typed right after the frame appears is never lost.
  useLayoutEffect(() => {
    if (!active) return undefined;
    const layer: KeyLayer = { id: nextId.current++, bindings, handlers, captureText: options.captureText ?? false, modal: options.modal ?? false };
    layerRef.current = layer;
    layers.current = [...layers.current, layer];
    bump();
    return () => {
      layers.current = layers.current.filter((l) => l !== layer);
      layerRef.current = null;
      bump();
    };
    // Registration depends only on being mounted and active; bindings/handlers are refreshed above.
  }, [active]);
  // The hint line and the help overlay read the layers when they draw: when this layer's keys or
  // hints change (checks arrive with an action, a statement starts running), have them draw again.
  const signature = bindings.map((b) => `${b.command}:${b.keys.join('/')}:${b.hint ?? ''}`).join('|');
  const shown = useRef(signature);
  useLayoutEffect(() => {
    if (shown.current === signature) return;
    shown.current = signature;
    if (active) bump();
  }, [signature, active]);
}

/**
 * The bindings currently in force, newest layer first, for the hint line and
 * the help overlay. `underModal` skips modal layers (the help overlay lists
 * the keys of the screen beneath it, not its own "any key").
 */
export function useActiveBindings(options: { underModal?: boolean } = {}): KeyBinding[] {
  const registry = useContext(KeysContext);
  if (!registry) return [];
  const out: KeyBinding[] = [];
  for (let i = registry.layers.current.length - 1; i >= 0; i--) {
    const layer = registry.layers.current[i] as KeyLayer;
    if (layer.modal && options.underModal) continue;
    out.push(...layer.bindings);
    if (layer.modal) break;
  }
  return out;
}

/** True while a modal layer (a question, a running step that holds the keys) is up: the global keys (? q esc) do nothing then. */
export function useModalOpen(): boolean {
  const registry = useContext(KeysContext);
  return registry ? registry.layers.current.some((l) => l.modal) : false;
}

/** True while a layer with a text field is active: printable global keys (? q) then go to the field. */
export function useTextCaptured(): boolean {
  const registry = useContext(KeysContext);
  return registry ? registry.layers.current.some((l) => l.captureText) : false;
}
