/**
 * Redaction as spans: each secret found in a text is a range of it and the
 * text shown instead. Applying them gives the text to show, the secrets
 * themselves (to scrub from other words about the same text, such as a
 * server's error message), and where any offset of the original lands in
 * the shown text, so a caret under an error still points at the right spot.
 */

export interface Redaction {
  /** Offset of the secret in the original text (UTF-16 units). */
  start: number;
  /** Offset just after it. */
  end: number;
  /** What is shown instead, e.g. `****` or `'****'`. */
  replacement: string;
  /** The secret itself (may be narrower than start..end, e.g. without its quotes). */
  secret: string;
}

export interface Redacted {
  text: string;
  /** The secrets masked, longest first. */
  secrets: string[];
  /** Where an offset of the original text lands in `text`; inside a secret, at the start of its mask. */
  mapOffset(offset: number): number;
}

/** Apply `spans` (any order; an overlapping later span is dropped) to `text`. */
export function applyRedactions(text: string, spans: Redaction[]): Redacted {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Redaction[] = [];
  for (const s of sorted) {
    const last = kept[kept.length - 1];
    if (last && s.start < last.end) continue;
    kept.push(s);
  }
  let out = '';
  let at = 0;
  for (const s of kept) {
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  out += text.slice(at);
  const secrets = [...new Set(kept.map((s) => s.secret).filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  return {
    text: out,
    secrets,
    mapOffset(offset) {
      let shift = 0;
      for (const s of kept) {
        if (offset < s.start) break;
        if (offset < s.end) return s.start + shift;
        shift += s.replacement.length - (s.end - s.start);
      }
      return offset + shift;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Mask every whole occurrence of each secret in `text` (not one glued to
 * letters or digits on either side, so a one-letter password does not eat
 * the words around it). For words derived from a redacted text.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(secret)}(?![\\p{L}\\p{N}])`, 'gu'), '****');
  }
  return out;
}
