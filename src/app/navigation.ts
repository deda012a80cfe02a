/** Moving between screens: a stack; Esc pops, the Home menu pushes. */
import { createContext, useContext } from 'react';

export interface Navigation {
  current: string;
  /** Every screen, for menus: id, title, one-line summary. */
  screens: { id: string; title: string; summary: string }[];
  /** False on the first screen (e.g. `connector-db query` opened straight into the console). */
  canGoBack?: boolean;
  push(screen: string): void;
  back(): void;
  quit(): void;
  /** Re-read every setting (after a profile switch) and rebuild the services. */
  reload(): void;
}

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error('useNavigation needs a NavigationContext provider');
  return nav;
}
