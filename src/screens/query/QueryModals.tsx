/** The console's questions and overlays: y/N questions, one row in full, the export file name. */
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../app/keys-context.js';
import { theme } from '../../app/theme.js';
import { RowView, rowViewLines } from '../../components/RowView.js';
import type { ResultSet } from '../../core/query/result-set.js';
import type { Question } from './use-console.js';
import type { Exporter } from './use-export.js';
import { editText } from '../../components/editor-state.js';
import { wrapText } from '../../components/wrap.js';

export function QuestionBox({ question, width, height }: { question: Question; width: number; height: number }) {
  useKeys(
    [
      { command: 'yes', keys: ['y', 'Y'], hint: 'yes', description: 'yes' },
      { command: 'no', keys: ['n', 'N', 'escape', 'return', 'ctrl+c'], hint: 'no', description: 'no (the default)' },
    ],
    { yes: () => question.answer(true), no: () => question.answer(false) },
    { modal: true },
  );
  // Wrapped, not cut: the reason for a question is the part that must be read whole.
  const rows = question.lines.flatMap((l, i) => wrapText(l, width - 4, l.startsWith('  ') ? '    ' : '').map((text) => ({ text, last: i === question.lines.length - 1 })));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1} width={width} height={Math.min(height, rows.length + 2)}>
      {rows.map((r, i) => (
        <Text key={i} wrap="truncate-end" bold={r.last}>
          {r.text}
        </Text>
      ))}
    </Box>
  );
}

export function RowModal({ result, index, width, height, close }: { result: ResultSet; index: number; width: number; height: number; close: () => void }) {
  const row = result.get(index) ?? [];
  const lines = rowViewLines(
    result.columns.map((c, i) => ({ name: c.name, type: c.typeName, value: row[i] ?? null })),
    width - 4,
  );
  const [top, setTop] = useState(0);
  const body = Math.max(1, height - 3);
  const scroll = (d: number) => setTop((t) => Math.max(0, Math.min(Math.max(0, lines.length - body), t + d)));
  useKeys(
    [
      { command: 'line-up', keys: ['up', 'k'], description: 'scroll up' },
      { command: 'line-down', keys: ['down', 'j'], description: 'scroll down' },
      { command: 'page-up', keys: ['pageup'], description: 'page up' },
      { command: 'page-down', keys: ['pagedown'], description: 'page down' },
      { command: 'close-row', keys: ['escape', 'return', 'q'], hint: 'close', description: 'close the row' },
    ],
    { 'line-up': () => scroll(-1), 'line-down': () => scroll(1), 'page-up': () => scroll(-body), 'page-down': () => scroll(body), 'close-row': close },
    { modal: true },
  );
  return <RowView title={`Row ${index + 1}`} lines={lines} top={top} height={height} width={width} />;
}

export function ExportPrompt({ exporter, width, height }: { exporter: Exporter; width: number; height: number }) {
  // Typed through the key dispatcher (not a separate text-input component), so no key is
  // lost in the moment between the prompt being drawn and an input hook starting to listen.
  useKeys(
    [
      { command: 'export-confirm', keys: ['return'], hint: 'export', description: 'export to this file' },
      { command: 'export-cancel', keys: ['escape'], hint: 'cancel', description: 'do not export' },
      { command: 'export-type', keys: ['any'], description: 'edit the file name' },
    ],
    {
      'export-confirm': exporter.confirm,
      'export-cancel': exporter.cancel,
      'export-type': (input, key) => {
        const e = exporter.currentName();
        const next = key.leftArrow
          ? editText(e, 'left')
          : key.rightArrow
            ? editText(e, 'right')
            : key.backspace || key.delete
              ? editText(e, 'backspace')
              : key.ctrl && input === 'u'
                ? editText(e, 'kill-before')
                : !key.ctrl && !key.meta && input && !/[\r\n\t]/.test(input)
                  ? editText(e, 'insert', input)
                  : undefined;
        if (next) exporter.setName(next);
      },
    },
    { modal: true, captureText: true },
  );
  const { text, cursor } = exporter.name;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={width} height={Math.min(height, 5)}>
      <Text>Export the whole result to (.csv or .json; never overwrites):</Text>
      <Text wrap="truncate-start">
        <Text color={theme.accent}>file: </Text>
        {text.slice(0, cursor)}
        <Text inverse>{text.slice(cursor, cursor + 1) || ' '}</Text>
        {text.slice(cursor + 1)}
      </Text>
      {exporter.error ? <Text color={theme.error}>{exporter.error}</Text> : null}
    </Box>
  );
}
