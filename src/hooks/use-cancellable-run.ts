/**
 * One long engine run on a screen (a backup, a restore, a reset): started
 * once when the step mounts, cancelled by its stop keys or by leaving the
 * screen, and while it runs every other key waits. The result is handed on
 * only if the step is still on screen.
 */
import { useEffect, useRef, useState, type DependencyList } from 'react';
import { useKeys } from '../app/keys-context.js';
import type { KeySpec } from '../app/keymap.js';

export interface RunKeys {
  /** Prefix of the two commands: `<name>-stop` and `<name>-busy`. */
  name: string;
  /** The keys that cancel the run. */
  stopKeys: KeySpec[];
  /** The help overlay's words for them (what cancelling leaves behind). */
  stop: string;
  /** The help overlay's words for every other key. */
  busy: string;
}

/**
 * `start` gets the signal to pass to the engine and `isLive`, false once the
 * step has left the screen (progress after that is dropped). Returns that
 * signal, aborted once the run is cancelled (the step is drawn again then).
 */
export function useCancellableRun<R>(start: (signal: AbortSignal, isLive: () => boolean) => Promise<R>, onDone: (result: R) => void, deps: DependencyList, keys: RunKeys): AbortSignal {
  const controller = useRef(new AbortController());
  // Drawn again once cancelled, so the step can say so before the engine has finished stopping.
  const [, setCancelled] = useState(false);
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    let live = true;
    start(controller.current.signal, () => live).then((result) => live && done.current(result));
    return () => {
      // Leaving the screen mid-run cancels it.
      live = false;
      controller.current.abort();
    };
    // The run restarts only when what it depends on changes, never for a new `start` closure.
  }, deps);
  useKeys(
    [
      { command: `${keys.name}-stop`, keys: keys.stopKeys, hint: 'cancel', description: keys.stop },
      { command: `${keys.name}-busy`, keys: ['any'], description: keys.busy },
    ],
    {
      [`${keys.name}-stop`]: () => {
        controller.current.abort();
        setCancelled(true);
      },
      [`${keys.name}-busy`]: () => {},
    },
    { modal: true },
  );
  return controller.current.signal;
}
