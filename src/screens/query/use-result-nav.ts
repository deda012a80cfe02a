/**
 * Moving through the result: the selected row (or the first line of a text
 * view), the first row on screen, the first column (horizontal scroll), and
 * fetching more rows from the cursor as the selection nears the end of what
 * is loaded. End fetches everything (Ctrl-C stops it).
 */
import { useEffect, useRef, useState } from 'react';
import { scrollTop } from '../../components/grid-layout.js';
import type { Busy, LogLine, ResultView } from './use-console.js';

export type Move = 'up' | 'down' | 'pageup' | 'pagedown' | 'home' | 'end' | 'left' | 'right';

export function useResultNav(view: ResultView, rowsOnScreen: number, expanded: boolean, setBusy: (b: Busy) => void, busyRef: { current: Busy }, setLog: (f: (l: LogLine[]) => LogLine[]) => void) {
  const [selected, setSelectedState] = useState(0);
  // Several keys can be handled before React draws again (a held-down arrow on a slow link):
  // each move starts from the row the previous one chose, not from the last drawn one.
  const selectedRef = useRef(0);
  const setSelected = (row: number) => {
    selectedRef.current = row;
    setSelectedState(row);
  };
  const [top, setTop] = useState(0);
  const [left, setLeft] = useState(0);
  const [, setTick] = useState(0);
  const viewRef = useRef(view);

  useEffect(() => {
    viewRef.current = view;
    setSelected(0);
    setTop(0);
    setLeft(0);
  }, [view]);

  // Ctrl-C during a long fetch (End on a million rows) stops it after the page on its way.
  const fetchAbort = useRef<AbortController | undefined>(undefined);
  const stopFetch = () => fetchAbort.current?.abort();

  const fetchTo = async (count: number) => {
    if (view.kind !== 'rows' || view.result.done || busyRef.current) return;
    const result = view.result;
    const controller = new AbortController();
    fetchAbort.current = controller;
    setBusy('fetch');
    // While rows come in, only the small progress counter redraws (FetchProgress), not the grid.
    try {
      await result.ensure(count, controller.signal);
      if (controller.signal.aborted && !result.done && viewRef.current === view) {
        setLog(() => [{ text: `Fetching stopped at ${result.loaded.toLocaleString('en-US')} rows; ↓ or End fetches more.`, tone: 'warn' }]);
      }
    } catch (error) {
      if (viewRef.current === view) setLog((l) => [...l, { text: `Fetching stopped: ${(error as Error).message}`, tone: 'warn' }]);
    } finally {
      if (fetchAbort.current === controller) fetchAbort.current = undefined;
      setBusy(false);
      setTick((t) => t + 1);
    }
    if (result.done && viewRef.current === view && result.tag) {
      const tag = result.tag;
      setLog(() => [{ text: tag, tone: 'ok' }]);
    }
  };

  const total = view.kind === 'rows' ? view.result.loaded : view.kind === 'text' ? view.lines.length : 0;
  const columns = view.kind === 'rows' ? view.result.columns.length : 0;
  const page = Math.max(1, expanded ? 1 : rowsOnScreen);

  const move = (m: Move) => {
    if (view.kind === 'none') return;
    if (m === 'left' || m === 'right') {
      setLeft((l) => Math.max(0, Math.min(columns - 1, l + (m === 'left' ? -1 : 1))));
      return;
    }
    if (view.kind === 'text') {
      const maxTop = Math.max(0, total - rowsOnScreen);
      const delta = { up: -1, down: 1, pageup: -rowsOnScreen, pagedown: rowsOnScreen, home: -Infinity, end: Infinity }[m];
      setTop((t) => Math.max(0, Math.min(maxTop, t + delta)));
      return;
    }
    const from = selectedRef.current;
    let next = from;
    if (m === 'up') next = from - 1;
    if (m === 'down') next = from + 1;
    if (m === 'pageup') next = from - page;
    if (m === 'pagedown') next = from + page;
    if (m === 'home') next = 0;
    if (m === 'end') {
      next = total - 1;
      if (!view.result.done) void fetchTo(Number.MAX_SAFE_INTEGER).then(jumpToEnd);
    }
    next = Math.max(0, Math.min(total - 1, next));
    setSelected(next);
    setTop((t) => (expanded ? next : scrollTop(t, next, rowsOnScreen)));
    if (!view.result.done && next + rowsOnScreen * 2 >= total) void fetchTo(next + rowsOnScreen * 3);
  };

  const jumpToEnd = () => {
    const v = viewRef.current;
    if (v.kind !== 'rows') return;
    const last = Math.max(0, v.result.loaded - 1);
    setSelected(last);
    setTop(expanded ? last : Math.max(0, last - rowsOnScreen + 1));
  };

  return { selected, top, left, move, stopFetch };
}
