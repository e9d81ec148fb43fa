import { isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { people } from '../../db/schema/index.js';
import { importOrg, type ImportSummary } from './import-org.js';
import { parseOrgFileLocated } from './org-file.js';
import { ContactLookupError, contactFailureText, peopleOf, resolveOrgPeople, type ContactDirectory } from './resolve-people.js';

/**
 * `org:import` from the file's text to the database: parse, resolve mobiles and emails to open_ids,
 * ask the contact API for the names the file leaves out (people whose name is not known yet), then
 * import in one transaction. Any problem throws (OrgFileError, ContactLookupError) before a write.
 */
export async function runOrgImport(
  db: Db,
  text: string,
  o: { contact: ContactDirectory | undefined; actor: string; now: Date },
): Promise<ImportSummary> {
  const parsed = parseOrgFileLocated(text);
  const org = await resolveOrgPeople(parsed, o.contact);
  const contactNames = new Map<string, string>();
  if (o.contact) {
    const named = new Set((await db.select({ openId: people.openId }).from(people).where(isNotNull(people.name))).map((p) => p.openId));
    for (const [openId, typed] of peopleOf(org)) {
      if (typed || named.has(openId)) continue;
      try {
        const name = await o.contact.fetchUserName(openId);
        if (name) contactNames.set(openId, name);
      } catch (err) {
        throw new ContactLookupError(contactFailureText(err, 'contact:user.base:readonly'));
      }
    }
  }
  return importOrg(db, org, { actor: o.actor, now: o.now, contactNames });
}
