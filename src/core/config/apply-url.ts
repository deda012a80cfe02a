/**
 * DATABASE__URL laid over the parts: parse it (postgresql://, postgres://,
 * SQLAlchemy's postgresql+driver://), fill in its ${PLACEHOLDERS} from the
 * other settings, and say which fields came whole from one placeholder, so
 * those keep the placeholder variable's own source.
 */
import type { Candidate, Source } from './sources.js';
import { SETTINGS } from './spec.js';
import { findPlaceholders, interpolatePlaceholders, parseDatabaseUrl, UrlError, type UrlParts } from './url.js';

export interface AppliedUrl {
  parts: UrlParts;
  /** Fields that were exactly one placeholder keep the placeholder variable's own source. */
  fieldSources: Partial<Record<keyof UrlParts, Source>>;
}

interface ApplyContext {
  lookup: (name: string) => string | undefined;
  sourceOfPlaceholder: (name: string) => Source | undefined;
  problems: string[];
  notes: string[];
}

/**
 * The URL's parts, or undefined once the problem with it is recorded (not a
 * URL, a placeholder that nothing sets). Parameters the tool does not act on
 * are named in a note (never their values).
 */
export function applyUrl(candidate: Candidate, ctx: ApplyContext): AppliedUrl | undefined {
  const applied = parseWithPlaceholders(candidate, ctx);
  for (const name of applied?.parts.ignored ?? []) ctx.notes.push(ignoredUrlParameter(name));
  return applied;
}

/** Why a DATABASE__URL parameter does nothing here, and what does its job when something can. */
function ignoredUrlParameter(name: string): string {
  const instead: Record<string, string> = {
    sslcert: 'client certificates are not supported; use a password',
    sslkey: 'client certificates are not supported; use a password',
    options: 'set the server setting on the role or database (ALTER ROLE ... SET)',
  };
  return `DATABASE__URL parameter ${name} is not used by connector-db${instead[name] ? `: ${instead[name]}` : ''}.`;
}

function parseWithPlaceholders(candidate: Candidate, ctx: ApplyContext): AppliedUrl | undefined {
  const raw = candidate.raw.trim();
  const where = candidate.source.label;
  const allowed = SETTINGS.DATABASE__URL.allowed;
  try {
    const placeholders = findPlaceholders(raw);
    if (placeholders.length === 0) return { parts: parseDatabaseUrl(raw), fieldSources: {} };

    // Parse the template first so each field knows whether it was a placeholder.
    const template = parseDatabaseUrl(raw.replace(/\$\{([^}]*)\}/g, (_, n: string) => `\u0000${n}\u0000`));
    const { url, missing } = interpolatePlaceholders(raw, ctx.lookup);
    if (missing.length > 0) {
      const unset = missing.filter((m) => m !== 'DATABASE__PASSWORD');
      if (unset.length > 0) {
        ctx.problems.push(`DATABASE__URL from ${where} has placeholder ${unset.map((m) => '${' + m + '}').join(', ')} that nothing sets; allowed: placeholders of variables that are set (DATABASE__USER, DATABASE__PASSWORD, DATABASE__HOST, DATABASE__PORT, DATABASE__NAME, ...)`);
        return undefined;
      }
    }
    // A missing password placeholder means "no password here": drop it rather than send the literal text.
    const filled = missing.length > 0 ? url.replace(/:\$\{DATABASE__PASSWORD\}@/, '@') : url;
    const parts = parseDatabaseUrl(filled);
    const fieldSources: AppliedUrl['fieldSources'] = {};
    for (const [field, templ] of Object.entries(template) as [keyof UrlParts, string | undefined][]) {
      const whole = templ ? /^\u0000([^\u0000]*)\u0000$/.exec(templ) : null;
      if (whole) {
        const src = ctx.sourceOfPlaceholder(whole[1] ?? '');
        if (src) fieldSources[field] = src;
      }
    }
    ctx.notes.push(`DATABASE__URL (${where}) contains ${placeholders.map((p) => '${' + p + '}').join(', ')}: filled in from those settings, percent-encoded.`);
    return { parts, fieldSources };
  } catch (error) {
    if (error instanceof UrlError) {
      ctx.problems.push(`DATABASE__URL from ${where} is not a database URL (${error.message}); allowed: ${allowed}`);
      return undefined;
    }
    throw error;
  }
}
