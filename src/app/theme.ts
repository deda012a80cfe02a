/**
 * Semantic colours: components ask for a role, not a colour. With NO_COLOR
 * or --no-color, FORCE_COLOR=0 is set before ink loads, so chalk drops them.
 */
export const theme = {
  accent: 'cyan',
  ok: 'green',
  error: 'red',
  warn: 'yellow',
  muted: 'gray',
  selected: 'cyan',
} as const;

export type ThemeRole = keyof typeof theme;

/** Text marks that carry meaning without colour (for NO_COLOR and screen readers). */
export const marks = {
  ok: '✓',
  fail: '✗',
  skip: '–',
  warn: '!',
  pointer: '›',
} as const;
