/** Home's "Backup" line: the newest backup in the folder, how old it is, and its size (or that there is none). */
import { FieldLabel } from './FieldLabel.js';
import React from 'react';
import { Text } from 'ink';
import { useServices } from '../app/services.js';
import { theme } from '../app/theme.js';
import { useTask } from '../hooks/use-task.js';
import { formatAge, formatBytes } from '../core/format-units.js';

export function LastBackupLine() {
  const { backups } = useServices();
  const [latest] = useTask(() => backups.latest());
  const value = latest.status === 'done' ? latest.value : undefined;
  return (
    <Text wrap="truncate-end">
      <FieldLabel text="Backup" />
      {latest.status !== 'done' ? (
        <Text color={theme.muted}>…</Text>
      ) : value ? (
        <>
          {value.file}
          <Text color={theme.muted}>
            {'  '}
            {formatAge(value.takenAt, new Date())}, {formatBytes(value.size)}
          </Text>
        </>
      ) : (
        <Text color={theme.warn}>none yet in {backups.dir} (Backups, b)</Text>
      )}
    </Text>
  );
}
