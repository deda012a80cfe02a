/**
 * The TUI's root: providers (services, navigation, keys), the current
 * screen, the `?` overlay and the status bar. Fits the terminal's height so
 * Ink never has to clear the whole screen between frames.
 */
import React, { useCallback, useMemo, useState } from 'react';
import { Box, Text, useApp } from 'ink';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { ServicesContext, type Services } from './services.js';
import { NavigationContext, useNavigation, type Navigation } from './navigation.js';
import { KeysProvider, useActiveBindings, useKeys, useModalOpen, useTextCaptured } from './keys-context.js';
import { GLOBAL_BINDINGS, isPrintable } from './keymap.js';
import { theme } from './theme.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { helpKeyBindings, layoutHelp, maxHelpTop, type HelpLayout } from '../components/help-layout.js';
import { StatusBar } from '../components/StatusBar.js';
import { findScreen, SCREENS } from '../screens/index.js';

export interface AppProps {
  services: Services;
  /** Re-resolve the settings and build new services (profile switch); absent in tests that do not need it. */
  reloadServices?: () => Services;
  initialScreen?: string;
  /** Called when the user quits (run-tui restores the terminal). */
  onQuit?: () => void;
}

export function App({ services: initialServices, reloadServices, initialScreen = 'home', onQuit }: AppProps) {
  const { exit } = useApp();
  const [services, setServices] = useState(initialServices);
  // Bumped on reload so every screen remounts and reads the new services.
  const [generation, setGeneration] = useState(0);
  const [stack, setStack] = useState<string[]>([initialScreen]);
  const [helpOpen, setHelpOpen] = useState(false);
  const current = stack[stack.length - 1] ?? 'home';
  const quit = useCallback(() => {
    onQuit?.();
    exit();
  }, [exit, onQuit]);
  const nav = useMemo<Navigation>(
    () => ({
      current,
      canGoBack: stack.length > 1,
      screens: SCREENS.map(({ id, title, summary }) => ({ id, title, summary })),
      push: (screen) => setStack((s) => [...s, screen]),
      back: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
      quit,
      reload: () => {
        if (!reloadServices) return;
        setServices(reloadServices());
        setGeneration((g) => g + 1);
      },
    }),
    [current, quit, reloadServices, stack.length],
  );
  const globals = useMemo(
    () => ({
      bindings: GLOBAL_BINDINGS,
      handlers: {
        help: () => setHelpOpen(true),
        back: () => nav.back(),
        quit,
        interrupt: quit,
      },
    }),
    [nav, quit],
  );
  return (
    <ServicesContext.Provider value={services}>
      <NavigationContext.Provider value={nav}>
        <KeysProvider globals={globals}>
          <Frame helpOpen={helpOpen} closeHelp={() => setHelpOpen(false)} screenId={current} services={services} generation={generation} />
        </KeysProvider>
      </NavigationContext.Provider>
    </ServicesContext.Provider>
  );
}

/** The smallest terminal every screen draws in without rows running into each other (80x16 and 60x14 did). */
export const MIN_COLUMNS = 50;
export const MIN_ROWS = 17;

function Frame({ helpOpen, closeHelp, screenId, services, generation }: { helpOpen: boolean; closeHelp: () => void; screenId: string; services: Services; generation: number }) {
  // Every screen below reads the size as it draws: this redraws them all when the window changes.
  const size = useTerminalSize();
  const width = Math.max(40, size.columns);
  const height = Math.max(10, size.rows - 1);
  const screen = findScreen(screenId);
  const Screen = screen.component;
  // While a text field has the keys, ? and q type characters: do not offer them in the hint line.
  const textCaptured = useTextCaptured();
  // Under a modal layer no global key reaches its handler (dispatchKey stops there): none is offered.
  const modalOpen = useModalOpen();
  const active = useActiveBindings();
  // A global key a screen binds itself (Esc that cancels a chooser) is the screen's: offered once, as the screen's.
  const taken = new Set(active.flatMap((b) => b.keys));
  const canGoBack = useNavigation().canGoBack;
  const globalHints = modalOpen
    ? []
    : GLOBAL_BINDINGS.filter((b) => !(textCaptured && b.keys.every(isPrintable)) && !b.keys.every((k) => taken.has(k)) && (b.command !== 'back' || canGoBack));
  const helpBindings = [...useActiveBindings({ underModal: true }), ...GLOBAL_BINDINGS];
  // The screen's rows: the frame less the title line, its margin and the status bar.
  const helpLayout = helpOpen ? layoutHelp(helpBindings, width, height - 4) : undefined;
  // While the help is open every key is the help's (q and Esc close it): say so from its first frame.
  const bindings = helpLayout ? helpKeyBindings(helpLayout.scrollable) : [...active, ...globalHints];
  // Below this the screens' fixed lines no longer fit and Yoga squeezes rows into each other: say so instead.
  // The frame stays in the tree, hidden, so the screen keeps its state (a half-typed statement) until the window grows.
  const tooSmall = size.rows < MIN_ROWS || size.columns < MIN_COLUMNS;
  return (
    <Box flexDirection="column" width={width}>
      {tooSmall ? (
        <Text wrap="wrap">
          connector-db needs a terminal of at least {MIN_COLUMNS}×{MIN_ROWS}; this one is {size.columns}×{size.rows}. Make it larger.
        </Text>
      ) : null}
      <Box display={tooSmall ? 'none' : 'flex'} flexDirection="column" width={width} height={height}>
        <Box>
          <Text bold color={theme.accent}>
            connector-db
          </Text>
          <Text color={theme.muted}> {services.version} · {screen.title}</Text>
        </Box>
        <Box flexDirection="column" flexGrow={1} overflow="hidden" marginTop={1}>
          {/* The screen stays mounted under the overlay so its state survives. */}
          <Box display={helpOpen ? 'none' : 'flex'} flexDirection="column">
            <Screen key={`${screenId}:${generation}`} />
          </Box>
          {helpLayout ? <HelpLayer layout={helpLayout} title={screen.title} close={closeHelp} width={width} /> : null}
        </Box>
        <StatusBar title={screen.title} target={services.connection.target} bindings={bindings} width={width} />
      </Box>
    </Box>
  );
}

function HelpLayer({ layout, title, close, width }: { layout: HelpLayout; title: string; close: () => void; width: number }) {
  const [top, setTop] = useState(0);
  const end = maxHelpTop(layout);
  const scroll = (to: (t: number) => number) => setTop((t) => Math.max(0, Math.min(end, to(t))));
  const page = Math.max(1, layout.bodyHeight - 1);
  // Modal: nothing below sees a key while it is open.
  useKeys(
    helpKeyBindings(layout.scrollable),
    {
      'help-line': (_input, key) => scroll((t) => t + (key.upArrow ? -1 : 1)),
      'help-page': (_input, key) => scroll((t) => t + (key.pageUp ? -page : page)),
      'help-ends': (_input, key) => scroll(() => (key.home ? 0 : end)),
      'close-help': close,
    },
    { modal: true },
  );
  return <HelpOverlay title={title} layout={layout} top={Math.min(top, end)} width={width} />;
}
