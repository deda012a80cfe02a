/**
 * Text from the database (values, statements, server messages) shown on a
 * terminal: control characters other than line breaks and tabs (ESC, BEL,
 * C1...) become \xHH, so no colour, title or cursor code in the data reaches
 * the terminal.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
