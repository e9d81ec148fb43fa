import { z } from 'zod';

/**
 * Argument schemas that several commands share. Each turns the text after a command's name into a
 * value; its message is the Chinese answer to a malformed call, so it reads as a usage line.
 */

/** An optional year (`2026`, `2026年`, `2026年度`); empty means "this year", left to the command. */
export function optionalYear(usage: string) {
  return z
    .string()
    .transform((s) => s.trim().replace(/年度?$/, ''))
    .refine((w) => !w || /^\d{4}$/.test(w), usage)
    .transform((w) => (w ? Number(w) : undefined));
}

/** A draft's serial (`2026-0137`) as the whole text after the name; `usage` answers anything else. */
export function draftSerial(usage: string) {
  return z
    .string()
    .transform((s) => s.trim())
    .refine((s) => /^\d{4}-\d{1,6}$/.test(s), usage);
}
