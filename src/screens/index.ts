/**
 * Every screen, in menu order. A screen is a component that reads the
 * services and registers its keys; add one here to put it in Home's menu.
 */
import React from 'react';
import { DoctorScreen } from './DoctorScreen.js';
import { HomeScreen } from './HomeScreen.js';
import { MonitorScreen } from './MonitorScreen.js';
import { MigrationsScreen } from './MigrationsScreen.js';
import { SettingsScreen } from './SettingsScreen.js';
import { SetupScreen } from './SetupScreen.js';
import { QueryScreen } from './QueryScreen.js';
import { BackupsScreen } from './BackupsScreen.js';

export interface ScreenEntry {
  id: string;
  title: string;
  summary: string;
  component: React.ComponentType;
}

export const SCREENS: ScreenEntry[] = [
  { id: 'home', title: 'Home', summary: 'target, server, menu', component: HomeScreen },
  { id: 'doctor', title: 'Doctor', summary: 'why it does not connect, and the fix', component: DoctorScreen },
  { id: 'setup', title: 'Setup', summary: 'first-time role, database, .env', component: SetupScreen },
  { id: 'migrations', title: 'Migrations', summary: 'current, pending, up and down', component: MigrationsScreen },
  { id: 'backups', title: 'Backups', summary: 'back up, restore, reset', component: BackupsScreen },
  { id: 'query', title: 'Query', summary: 'SQL console and \\d commands', component: QueryScreen },
  { id: 'monitor', title: 'Monitor', summary: 'connections, locks, sizes', component: MonitorScreen },
  { id: 'settings', title: 'Settings', summary: 'every value and its source, profiles', component: SettingsScreen },
];

export function findScreen(id: string): ScreenEntry {
  return SCREENS.find((s) => s.id === id) ?? (SCREENS[0] as ScreenEntry);
}
