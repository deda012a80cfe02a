/**
 * Export of the current result: ask for a file name (the extension picks
 * CSV or JSON), then write the whole result, fetching the rest from the
 * cursor; Ctrl-C cancels it on the server and no partial file remains.
 */
import { useRef, useState } from 'react';
import path from 'node:path';
import type { Services } from '../../app/services.js';
import { formatForFile } from '../../core/query/export.js';
import { editorWith, type EditorState } from '../../components/editor-state.js';
import type { useConsole } from './use-console.js';

function defaultName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `query_${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}_${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.csv`;
}

export interface Exporter {
  prompting: boolean;
  name: EditorState;
  /** The name as the last key left it: keys can come faster than React draws (a paste, type-ahead). */
  currentName: () => EditorState;
  setName: (name: EditorState) => void;
  error: string | undefined;
  progressText: string;
  start: () => void;
  cancel: () => void;
  confirm: () => void;
}

export function useExport(services: Services, c: ReturnType<typeof useConsole>): Exporter {
  const [prompting, setPrompting] = useState(false);
  const [name, setNameState] = useState<EditorState>(editorWith(''));
  const nameRef = useRef<EditorState>(name);
  const setName = (next: EditorState) => {
    nameRef.current = next;
    setNameState(next);
  };
  const [error, setError] = useState<string | undefined>();
  const [rows, setRows] = useState(0);
  return {
    prompting,
    name,
    currentName: () => nameRef.current,
    setName,
    error,
    progressText: `exporting… ${rows.toLocaleString('en-US')} rows written · Ctrl-C cancels`,
    start: () => {
      setName(editorWith(defaultName()));
      setError(undefined);
      setPrompting(true);
    },
    cancel: () => setPrompting(false),
    confirm: () => {
      const file = nameRef.current.text.trim();
      const format = formatForFile(file);
      if (!format) return setError('the name must end with .csv or .json');
      const view = c.view;
      if (view.kind !== 'rows') return setPrompting(false);
      setPrompting(false);
      setRows(0);
      c.setBusy('export');
      const target = path.resolve(services.query.exportDir, file);
      services.query.exportResult(view.result, target, format, setRows).then(
        (summary) => {
          c.setBusy(false);
          c.setLog(() => [{ text: `Wrote ${summary.rows.toLocaleString('en-US')} rows to ${summary.file} (${(summary.bytes / 1024).toFixed(1)} kB, ${summary.format.toUpperCase()}).`, tone: 'ok' }]);
        },
        (err: unknown) => {
          c.setBusy(false);
          c.setLog(() => [{ text: `Export failed, no file written: ${(err as Error).message}`, tone: 'error' }]);
        },
      );
    },
  };
}
