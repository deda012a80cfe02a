/** Word-wrap for panes that scroll by line: the caller needs to know how many rows a text takes. */
import stringWidth from 'string-width';

/** Break `text` into rows of at most `width` columns; continuation rows start with `indent`. Long words are cut. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const rows: string[] = [];
  const max = Math.max(8, width);
  let line = '';
  const push = () => {
    rows.push(line);
    line = indent;
  };
  for (const word of text.split(/(\s+)/)) {
    if (word === '') continue;
    if (stringWidth(line + word) <= max) {
      line += word;
      continue;
    }
    if (/^\s+$/.test(word)) {
      push();
      continue;
    }
    if (line.trim() !== '') push();
    let rest = word;
    while (stringWidth(line + rest) > max) {
      const room = Math.max(1, max - stringWidth(line));
      line += [...rest].slice(0, room).join('');
      rest = [...rest].slice(room).join('');
      push();
    }
    line += rest;
  }
  if (line.trim() !== '' || rows.length === 0) rows.push(line);
  return rows;
}
