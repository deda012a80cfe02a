/** The result area of the console: the grid, expanded records, or text (\d output, help), or how to start. */
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { theme } from '../../app/theme.js';
import { ResultGrid } from '../../components/ResultGrid.js';
import { ExpandedRows } from '../../components/ExpandedRows.js';
import type { Connection, ResultView } from './use-console.js';
import { escapeControls } from '../../core/escape-controls.js';

interface NavState {
  selected: number;
  top: number;
  left: number;
}

export function ResultArea({ connection, view, expanded, nav, height, width, focused }: { connection: Connection; view: ResultView; expanded: boolean; nav: NavState; height: number; width: number; focused: boolean }) {
  if (view.kind === 'rows') {
    const { result } = view;
    const getRow = (i: number) => result.get(i);
    return (
      <Box height={height} flexDirection="column">
        {expanded ? (
          <ExpandedRows names={result.columns.map((c) => c.name)} getRow={getRow} rowCount={result.loaded} top={nav.top} selected={focused ? nav.selected : undefined} height={height} width={width} />
        ) : (
          <ResultGrid columns={result.columns} getRow={getRow} rowCount={result.loaded} top={nav.top} left={nav.left} selected={focused ? nav.selected : undefined} height={height} width={width} />
        )}
      </Box>
    );
  }
  if (view.kind === 'text') {
    return (
      <Box height={height} flexDirection="column">
        {view.lines.slice(nav.top, nav.top + height).map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line === '' ? ' ' : escapeControls(line)}
          </Text>
        ))}
      </Box>
    );
  }
  return (
    <Box height={height} flexDirection="column">
      {connection.status === 'connecting' ? <Text color={theme.muted}>connecting…</Text> : null}
      {connection.status === 'failed' ? (
        <Text color={theme.error} wrap="wrap">
          not connected: {connection.code}: {connection.message} (Enter on a statement tries again)
        </Text>
      ) : null}
      {connection.status === 'open' ? (
        <Text color={theme.muted} wrap="wrap">
          Connected as {connection.session.info.user} to {connection.session.info.database}. Type SQL ending with ; and press Enter. \dt lists tables, \d NAME describes one, \? shows all commands.
        </Text>
      ) : null}
    </Box>
  );
}

/** "rows 1–15 of 2,000+ · cols 1–4 of 12": where the window is. */
export function resultInfo(view: ResultView, nav: NavState, rowsOnScreen: number, _width: number): string {
  if (view.kind === 'text') return `lines ${Math.min(nav.top + 1, view.lines.length)}–${Math.min(view.lines.length, nav.top + rowsOnScreen)} of ${view.lines.length}`;
  if (view.kind !== 'rows') return '';
  const r = view.result;
  const count = `${r.loaded.toLocaleString('en-US')}${r.done ? '' : '+'}`;
  if (r.loaded === 0) return `no rows · ${r.tag ?? ''}`;
  return `row ${(nav.selected + 1).toLocaleString('en-US')} of ${count} · col ${nav.left + 1} of ${r.columns.length}`;
}

/** "fetching rows… 123,500 so far": redraws itself alone, four times a second, while a long fetch runs. */
export function FetchProgress({ view }: { view: ResultView }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 250);
    return () => clearInterval(timer);
  }, []);
  const loaded = view.kind === 'rows' ? view.result.loaded.toLocaleString('en-US') : '0';
  return <Text color={theme.muted}>fetching rows… {loaded} so far · Ctrl-C stops · </Text>;
}
