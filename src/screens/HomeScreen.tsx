/**
 * Home: the target (password never shown), the connection state and server
 * version, and the menu to every screen.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useServices } from '../app/services.js';
import { useNavigation } from '../app/navigation.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import { useTask } from '../hooks/use-task.js';
import { Menu } from '../components/Menu.js';
import { FieldLabel, LABEL_WIDTH } from '../components/FieldLabel.js';
import { summarizeStatus } from '../core/migrations/status.js';
import type { MigrationStatusResult } from '../app/services.js';
import type { TaskState } from '../hooks/use-task.js';
import { LastBackupLine } from '../components/LastBackupLine.js';
import { Busy } from '../components/Busy.js';

export function HomeScreen() {
  const services = useServices();
  const nav = useNavigation();
  const [probe, retryProbe] = useTask(() => services.probe());
  const [revision, retryRevision] = useTask(() => services.migrations.status());
  const retry = () => {
    retryProbe();
    retryRevision();
  };
  useKeys([{ command: 'retry', keys: ['r'], hint: 'reconnect', description: 'connect again and refresh' }], { retry });

  const menu = nav.screens.filter((s) => s.id !== 'home').map((s) => ({ id: s.id, label: s.title, detail: s.summary }));
  return (
    <Box flexDirection="column">
      <Text>
        <FieldLabel text="Target" />{services.connection.target}
      </Text>
      {services.connection.echoLog ? (
        <Text color={theme.muted} wrap="truncate-end">
          {'Echo'.padEnd(LABEL_WIDTH)}statements logged to {services.connection.echoLog} (DATABASE__ECHO)
        </Text>
      ) : null}
      <Box>
        <FieldLabel text="Server" />
        {probe.status === 'running' || probe.status === 'idle' ? (
          <Busy>connecting…</Busy>
        ) : probe.status === 'done' && probe.value.ok ? (
          <Text>
            <Text color={theme.ok}>{marks.ok}</Text> PostgreSQL {probe.value.server.version}
            <Text color={theme.muted}>
              {'  '}connected as {probe.value.server.user} in {probe.value.elapsedMs} ms{probe.value.server.inRecovery ? ' · standby (read-only)' : ''}
            </Text>
          </Text>
        ) : probe.status === 'done' && !probe.value.ok ? (
          <Text wrap="wrap">
            <Text color={theme.error}>
              {marks.fail} {probe.value.code}
            </Text>
            : {probe.value.message}
          </Text>
        ) : (
          <Text color={theme.error}>{marks.fail} unexpected failure</Text>
        )}
      </Box>
      {probe.status === 'done' && !probe.value.ok ? (
        <Text color={theme.muted} wrap="truncate-end">
          {'        '}
          {probe.value.evidence[0] ?? ''} — open Doctor for the fix, r to retry
        </Text>
      ) : null}
      <RevisionLine state={revision} />
      <LastBackupLine />
      <Box marginTop={1}>
        <Menu items={menu} onSelect={(id) => nav.push(id)} />
      </Box>
    </Box>
  );
}

/** Migration revision: current / head and the pending count (or why it cannot be read). */
function RevisionLine({ state }: { state: TaskState<MigrationStatusResult> }) {
  if (state.status !== 'done') return <Text><FieldLabel text="Revision" /><Text color={theme.muted}>…</Text></Text>;
  const r = state.value;
  if (!r.ok) {
    // The server line already explains a connection failure; say only what is specific here.
    return (
      <Text wrap="truncate-end">
        <FieldLabel text="Revision" /><Text color={theme.muted}>unknown ({r.code})</Text>
      </Text>
    );
  }
  const s = r.status;
  const bad = s.schemaWithoutHistory || s.unknown.length > 0 || s.drifted.length > 0;
  const colour = bad ? theme.error : s.pendingCount > 0 ? theme.warn : theme.ok;
  return (
    <Text wrap="truncate-end">
      <FieldLabel text="Revision" /><Text color={colour}>{bad ? marks.fail : s.pendingCount > 0 ? marks.warn : marks.ok}</Text> current {s.current ?? 'base'} / head {s.head ?? 'none'} · {s.pendingCount} pending
      {bad ? <Text color={theme.muted}>  ({summarizeStatus(s)})</Text> : null}
    </Text>
  );
}
