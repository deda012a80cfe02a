/**
 * One row in full (Enter on the grid): every column with its type and its
 * whole value, wrapped, scrollable. NULL reads "NULL" dimmed, the empty
 * string reads "(empty string)" dimmed, so neither is mistaken for text.
 */
import React from 'react';
import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { escapeControls } from '../core/escape-controls.js';
import { theme } from '../app/theme.js';

export interface RowViewField {
  name: string;
  type: string;
  value: string | null;
}

export interface RowLine {
  text: string;
  style: 'name' | 'value' | 'null' | 'empty';
}

/** Lay the fields out as lines of at most `width` columns (values wrapped, their own newlines kept). */
export function rowViewLines(fields: RowViewField[], width: number): RowLine[] {
  const lines: RowLine[] = [];
  for (const f of fields) {
    lines.push({ text: `${f.name} (${f.type})`, style: 'name' });
    if (f.value === null) lines.push({ text: '  NULL', style: 'null' });
    else if (f.value === '') lines.push({ text: '  (empty string)', style: 'empty' });
    else for (const l of wrapText(f.value, Math.max(4, width - 2))) lines.push({ text: '  ' + l, style: 'value' });
  }
  return lines;
}

export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const raw of escapeControls(text.replace(/\r\n/g, '\n')).split('\n')) {
    let line = '';
    let used = 0;
    for (const ch of raw.replace(/\t/g, '    ')) {
      // Printable ASCII is one column: measuring every character of a 100 kB value one by one took seconds.
      const code = ch.charCodeAt(0);
      const w = ch.length === 1 && code >= 0x20 && code < 0x7f ? 1 : stringWidth(ch);
      if (used + w > width) {
        out.push(line);
        line = '';
        used = 0;
      }
      line += ch;
      used += w;
    }
    out.push(line);
  }
  return out;
}

export function RowView({ title, lines, top, height, width }: { title: string; lines: RowLine[]; top: number; height: number; width: number }) {
  const body = Math.max(1, height - 3);
  const shown = lines.slice(top, top + body);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={width} height={Math.min(height, shown.length + 3)}>
      <Text bold wrap="truncate-end">
        {title}
        <Text color={theme.muted}>
          {'  '}lines {Math.min(lines.length, top + 1)}–{Math.min(lines.length, top + body)} of {lines.length} · ↑↓ scroll · esc/enter close
        </Text>
      </Text>
      {shown.map((l, k) => (
        <Text key={k} wrap="truncate-end" bold={l.style === 'name'} color={l.style === 'name' ? theme.accent : undefined} dimColor={l.style === 'null' || l.style === 'empty'} italic={l.style === 'null' || l.style === 'empty'}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
