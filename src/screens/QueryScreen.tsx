/**
 * Query: a SQL console. Type statements (ending with ;) or psql's catalog
 * commands; results show in a windowed grid fed by a cursor. Tab moves
 * between the input and the result; Ctrl-C cancels a running statement on
 * the server, and asks before quitting when nothing runs.
 */
import React, { useRef, useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import Spinner from 'ink-spinner';
import { useServices } from '../app/services.js';
import { useNavigation } from '../app/navigation.js';
import { useKeys } from '../app/keys-context.js';
import { theme } from '../app/theme.js';
import { SqlEditor } from '../components/SqlEditor.js';
import { escapeControls } from '../core/escape-controls.js';
import { useConsole } from './query/use-console.js';
import { useResultNav } from './query/use-result-nav.js';
import { FetchProgress, ResultArea, resultInfo } from './query/ResultArea.js';
import { QuestionBox, RowModal, ExportPrompt } from './query/QueryModals.js';
import { useExport } from './query/use-export.js';

const LOG_LINES = 4;
const EDITOR_LINES = 5;

export function QueryScreen() {
  const services = useServices();
  const nav = useNavigation();
  const { stdout } = useStdout();
  const width = Math.max(40, stdout.columns || 80);
  // Frame: title line, margin, status bar (2 lines) and the line Ink keeps free.
  const available = Math.max(10, (stdout.rows || 24) - 6);
  const c = useConsole(services, () => (nav.canGoBack ? nav.back() : nav.quit()));
  const [focus, setFocusState] = useState<'input' | 'result'>('input');
  // Read by the editor when a key arrives: after Tab, the keys in the same read are the result's, before React draws.
  const focusRef = useRef<'input' | 'result'>('input');
  const setFocus = (to: 'input' | 'result') => {
    focusRef.current = to;
    setFocusState(to);
  };
  const [rowOpen, setRowOpen] = useState<number | undefined>();
  const exporter = useExport(services, c);

  const editorLines = Math.min(EDITOR_LINES, c.editor.text.split('\n').length);
  const logLines = c.log.slice(-LOG_LINES);
  const areaHeight = Math.max(3, available - editorLines - logLines.length - 1);
  const rowsOnScreen = c.view.kind === 'rows' && !c.expanded ? Math.max(1, areaHeight - 2) : areaHeight;
  const nav2 = useResultNav(c.view, rowsOnScreen, c.expanded, c.setBusy, c.busyRef, c.setLog);
  const modal = c.question !== undefined || rowOpen !== undefined || exporter.prompting;
  const hasResult = c.view.kind !== 'none';
  const resultFocused = focus === 'result' && hasResult;

  useKeys(
    [
      { command: 'interrupt', keys: ['ctrl+c'], hint: c.busy ? 'cancel' : undefined, description: 'cancel the running statement on the server; when idle, ask before quitting' },
      { command: 'read-only', keys: ['ctrl+o'], hint: c.readOnly ? 'read-write' : 'read-only', description: 'switch read-only transactions on or off (turning them off asks first)' },
    ],
    {
      interrupt: () => {
        if (c.busyRef.current === 'fetch') nav2.stopFetch();
        else if (c.busyRef.current) void c.cancel();
        else void c.ask(['Quit connector-db? (y/N)']).then((yes) => yes && nav.quit());
      },
      'read-only': () => void c.setReadOnly(!c.readOnly),
    },
    { active: !modal },
  );
  useKeys(
    [
      { command: 'to-result', keys: ['tab'], hint: 'result', description: 'move to the result (rows, columns, open a row, export)' },
      { command: 'page-up', keys: ['pageup'], description: 'scroll the result up a page' },
      { command: 'page-down', keys: ['pagedown'], description: 'scroll the result down a page' },
    ],
    { 'to-result': () => hasResult && setFocus('result'), 'page-up': () => nav2.move('pageup'), 'page-down': () => nav2.move('pagedown') },
    { active: !modal && !resultFocused, captureText: true },
  );
  useKeys(
    [
      { command: 'row-up', keys: ['up', 'k'], description: 'previous row' },
      { command: 'row-down', keys: ['down', 'j'], description: 'next row' },
      { command: 'page-up', keys: ['pageup'], description: 'page up' },
      { command: 'page-down', keys: ['pagedown'], description: 'page down' },
      { command: 'first', keys: ['home', 'g'], description: 'first row' },
      { command: 'last', keys: ['end', 'G'], description: 'last row (fetches the whole result; Ctrl-C stops)' },
      { command: 'col-left', keys: ['left', 'h'], description: 'scroll columns left' },
      { command: 'col-right', keys: ['right', 'l'], description: 'scroll columns right' },
      { command: 'open-row', keys: ['return'], hint: 'open row', description: 'show the selected row in full' },
      { command: 'export', keys: ['e'], hint: 'export', description: 'export the whole result to a CSV or JSON file' },
      { command: 'expanded', keys: ['x'], hint: c.expanded ? 'grid' : 'expanded', description: 'expanded rows (one field per line), like \\x' },
      { command: 'to-input', keys: ['tab', 'escape'], hint: 'input', description: 'back to the input' },
    ],
    {
      'row-up': () => nav2.move('up'),
      'row-down': () => nav2.move('down'),
      'page-up': () => nav2.move('pageup'),
      'page-down': () => nav2.move('pagedown'),
      first: () => nav2.move('home'),
      last: () => nav2.move('end'),
      'col-left': () => nav2.move('left'),
      'col-right': () => nav2.move('right'),
      'open-row': () => c.view.kind === 'rows' && c.view.result.get(nav2.selected) && setRowOpen(nav2.selected),
      export: () => c.view.kind === 'rows' && !c.busyRef.current && exporter.start(),
      expanded: () => c.toggleExpanded(),
      'to-input': () => setFocus('input'),
    },
    { active: !modal && resultFocused },
  );

  const prompt = c.connection.status === 'open' ? c.connection.session.info.database : 'query';
  return (
    <Box flexDirection="column" width={width}>
      {c.question ? (
        <QuestionBox question={c.question} width={width} height={areaHeight} />
      ) : rowOpen !== undefined && c.view.kind === 'rows' ? (
        <RowModal result={c.view.result} index={rowOpen} width={width} height={areaHeight} close={() => setRowOpen(undefined)} />
      ) : exporter.prompting ? (
        <ExportPrompt exporter={exporter} width={width} height={areaHeight} />
      ) : (
        <ResultArea connection={c.connection} view={c.view} expanded={c.expanded} nav={nav2} height={areaHeight} width={width} focused={resultFocused} />
      )}
      <Box width={width}>
        {c.busy ? (
          <Text color={theme.accent}>
            <Spinner type="dots" />{' '}
          </Text>
        ) : null}
        {c.busy === 'fetch' ? <FetchProgress view={c.view} /> : null}
        <Text color={theme.muted} wrap="truncate-end">
          {c.busy === 'export' ? exporter.progressText : c.busy === 'statement' ? 'running… Ctrl-C cancels · ' : ''}
          {resultInfo(c.view, nav2, rowsOnScreen, width)}
          {c.readOnly ? ' · READ-ONLY' : ''}
          {c.connection.status === 'open' && c.connection.session.transactionStatus !== 'I' ? (c.connection.session.transactionStatus === 'E' ? ' · FAILED TRANSACTION' : ' · IN TRANSACTION') : ''}
        </Text>
      </Box>
      {logLines.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.tone === 'error' ? theme.error : l.tone === 'ok' ? theme.ok : l.tone === 'warn' ? theme.warn : l.tone === 'muted' ? theme.muted : undefined}>
          {/* Server errors and notices repeat the data (a key value, a RAISE): no terminal code in them reaches the screen. */}
          {escapeControls(l.text)}
        </Text>
      ))}
      <SqlEditor
        state={c.editor}
        current={c.currentEditor}
        onChange={c.setEditor}
        onEnter={() => void c.submit()}
        onHistory={c.walkHistory}
        active={!modal && !resultFocused}
        stillActive={() => focusRef.current === 'input'}
        prompt={`${prompt}${c.readOnly ? '(ro)' : ''}=> `}
        continuation={`${prompt}${c.readOnly ? '(ro)' : ''}-> `}
        width={width}
        maxLines={EDITOR_LINES}
      />
    </Box>
  );
}
