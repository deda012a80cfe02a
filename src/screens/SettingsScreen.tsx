/**
 * Settings: every effective value and where it came from (the same facts as
 * `connector-db config`), and the saved profiles, with a switch between them.
 * Values are changed where they live (.env, env, `connector-db profile set`);
 * this screen never shows a password.
 */
import React, { useState } from 'react';
import { Box, Text, useStdout } from 'ink';
import { useServices } from '../app/services.js';
import { useNavigation } from '../app/navigation.js';
import { useKeys } from '../app/keys-context.js';
import { marks, theme } from '../app/theme.js';
import { Menu } from '../components/Menu.js';

export function SettingsScreen() {
  const { settings } = useServices();
  const nav = useNavigation();
  const { stdout } = useStdout();
  const [top, setTop] = useState(0);
  const [choosing, setChoosing] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const profiles = settings.profiles();
  const visible = Math.max(4, (stdout.rows || 24) - 12);
  const keyWidth = Math.max(...settings.rows.map((r) => r.key.length));
  const valueWidth = Math.min(34, Math.max(5, ...settings.rows.map((r) => (r.value ?? '(not set)').length)));

  useKeys(
    [
      { command: 'scroll-up', keys: ['up', 'k'], description: 'scroll up' },
      { command: 'scroll-down', keys: ['down', 'j'], description: 'scroll down' },
      { command: 'profiles', keys: ['p'], hint: 'profiles', description: 'choose the active profile' },
    ],
    {
      'scroll-up': () => setTop((t) => Math.max(0, t - 1)),
      'scroll-down': () => setTop((t) => Math.min(Math.max(0, settings.rows.length - visible), t + 1)),
      profiles: () => (profiles.length > 0 ? setChoosing(true) : setMessage('No saved profiles yet: connector-db profile save NAME')),
    },
    { active: !choosing },
  );

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>URL </Text> {settings.url}
      </Text>
      <Text>
        <Text bold>Profile </Text>
        {profiles.length === 0 ? <Text color={theme.muted}>none saved (connector-db profile save NAME)</Text> : profiles.map((p) => `${p.active ? '*' : ''}${p.name}`).join('  ')}
      </Text>
      {message ? <Text color={theme.warn}>{message}</Text> : null}
      {choosing ? (
        <ProfileChooser
          profiles={profiles}
          onCancel={() => setChoosing(false)}
          onChoose={(name) => {
            setChoosing(false);
            settings.useProfile(name).then(
              () => nav.reload(),
              (error: unknown) => setMessage(`${marks.fail} ${error instanceof Error ? error.message : String(error)}`),
            );
          }}
        />
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>
            {'SETTING'.padEnd(keyWidth + 2)}
            {'VALUE'.padEnd(valueWidth + 2)}SOURCE
          </Text>
          {settings.rows.slice(top, top + visible).map((r) => (
            <Text key={r.key} wrap="truncate-end">
              {r.key.padEnd(keyWidth + 2)}
              <Text color={r.value === undefined ? theme.muted : undefined}>{fit(r.value ?? '(not set)', valueWidth).padEnd(valueWidth + 2)}</Text>
              <Text color={theme.muted}>{r.source}</Text>
            </Text>
          ))}
          {settings.rows.length > visible ? <Text color={theme.muted}>↑/↓ scroll · {top + 1}-{Math.min(settings.rows.length, top + visible)} of {settings.rows.length}</Text> : null}
          {/* A note explains itself in its second half ("... filled in from those settings"): wrapped, not cut. */}
          {settings.notes.map((n) => (
            <Text key={n} color={theme.warn} wrap="wrap">
              {marks.warn} {n}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, width - 1) + '…';
}

function ProfileChooser({ profiles, onChoose, onCancel }: { profiles: { name: string; active: boolean; target: string }[]; onChoose: (name: string) => void; onCancel: () => void }) {
  useKeys([{ command: 'cancel', keys: ['escape'], hint: 'cancel', description: 'close the profile list' }], { cancel: onCancel }, { modal: false });
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" paddingX={1}>
      <Text bold>Use which profile? (settings are read again at once)</Text>
      <Menu items={profiles.map((p) => ({ id: p.name, label: `${p.active ? '*' : ' '} ${p.name}`, detail: p.target }))} onSelect={onChoose} />
    </Box>
  );
}
