/**
 * Typed view over `card-v2-whitelist.json`, the machine-readable Card JSON 2.0
 * component tables (see its `_notes`).
 *
 * The JSON is the single source of truth for props, enums, required fields and
 * allowed parents. This file only adds the few facts the JSON states in prose
 * (`_notes`) rather than as data, so the validator can stay generic.
 */
import rawWhitelist from './card-v2-whitelist.json' with { type: 'json' };

/** A property that takes keywords OR a free value (px, %, colour, style name). */
export interface MixedRule {
  keywords?: string[];
  pattern?: string;
  default?: string;
  /** Values that 2.0 removed (e.g. img size `stretch_without_padding`). */
  forbidden?: string[];
}

/** Rules for a plain object: a component, a shared shape or a sub-object. */
export interface ShapeRule {
  props: string[];
  enums?: Record<string, readonly unknown[]>;
  required?: string[];
  /** Sub-object that reuses another entry (e.g. header.title → `text`). */
  ref?: string;
  _subObjects?: Record<string, ShapeRule>;
  _mixed?: Record<string, MixedRule>;
  _note?: string;
}

/** A top-level whitelist entry (component or shared shape). */
export interface EntryRule extends ShapeRule {
  children?: string[];
  allowedParents?: string[];
  /** Marked required by a field table but omitted by official examples: never enforce. */
  _requiredConflicts?: string[];
  /** Requirements that only apply in a context, e.g. `insideForm`. */
  _conditionalRequired?: Record<string, string[]>;
  /** Used by official 2.0 examples but missing from the field table: accept. */
  _exampleOnlyProps?: string[];
  _requiredAncestor?: string;
  _behaviorTypes?: string[];
  _removedIn2?: string[];
}

type Whitelist = Record<string, EntryRule> & { _notes: string[] };

export const whitelist = rawWhitelist as unknown as Whitelist;

/** Look up an entry; `undefined` for unknown names. */
export function entry(name: string): EntryRule | undefined {
  if (name === '_notes') return undefined;
  return Object.prototype.hasOwnProperty.call(whitelist, name) ? whitelist[name] : undefined;
}

/** Entry that must exist (programming error otherwise). */
export function requireEntry(name: string): EntryRule {
  const found = entry(name);
  if (!found) throw new Error(`card-v2-whitelist.json has no entry "${name}"`);
  return found;
}

/**
 * `allowedParents: ["any"]` expands to these containers (whitelist `_notes`:
 * "form, interactive_container, collapsible_panel and column accept every
 * component except form and table").
 */
export const ANY_PARENT = ['body', 'column', 'form', 'collapsible_panel', 'interactive_container'] as const;

/**
 * Tags that Card JSON 1.0 had and 2.0 removed. The whitelist lists them only in
 * `_notes` ("Removed in 2.0 ... 'note' component; 'action' module"); Feishu
 * answers them with 230099 / sub-code 200861 instead of a parse error.
 */
export const REMOVED_TAGS: ReadonlySet<string> = new Set(['note', 'action']);

/**
 * Containers that count toward the 5-level nesting limit. A `column` is part of
 * its `column_set`, so the pair counts as one level (the lenient reading: the
 * docs do not say whether the pair is one level or two).
 */
export const NESTING_CONTAINERS: ReadonlySet<string> = new Set([
  'column_set',
  'form',
  'collapsible_panel',
  'interactive_container',
]);

/** Tags that are components (may appear in an `elements`-like child list). */
export const COMPONENT_TAGS: ReadonlySet<string> = new Set(
  Object.entries(whitelist)
    .filter(([name, rule]) => {
      if (name === '_notes' || name === 'text_tag') return false;
      const r = rule as EntryRule;
      return r.props.includes('tag') && (r.allowedParents?.length ?? 0) > 0;
    })
    .map(([name]) => name),
);

/** Parents a component may sit in, with `any` expanded. */
export function allowedParentsOf(rule: EntryRule): ReadonlySet<string> {
  const out = new Set<string>();
  for (const parent of rule.allowedParents ?? []) {
    if (parent === 'any') ANY_PARENT.forEach((p) => out.add(p));
    else out.add(parent);
  }
  return out;
}

/** Limits stated in `_notes` ("Card-wide limits"). */
export const CARD_LIMITS = {
  maxElements: 200,
  maxTables: 5,
  maxNesting: 5,
  elementIdPattern: /^[A-Za-z][A-Za-z0-9_]{0,19}$/,
} as const;
