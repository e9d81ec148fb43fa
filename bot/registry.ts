import type { CardAction, Command, Feature, MessageHandler } from './handlers.js';

export type Registry = {
  features: Feature[];
  commands: Command[];
  /** Finds the command a message starts with; `/help` and `help` match `帮助`'s aliases. */
  findCommand(text: string): { command: Command; args: string } | undefined;
  action(id: string): CardAction | undefined;
  messageHandlers: MessageHandler[];
  recallHandlers: NonNullable<Feature['onRecall']>[];
  givenUpHandlers: NonNullable<Feature['onGivenUp']>[];
};

/** Commands are short; a long message starting with a command word is a draft, not a command. */
const MAX_COMMAND_LENGTH = 300;

export function createRegistry(features: Feature[]): Registry {
  const byName = new Map<string, Command>();
  const actions = new Map<string, CardAction>();
  for (const f of features) {
    for (const c of f.commands ?? []) {
      for (const n of [c.name, ...(c.aliases ?? [])].map(normalizeName)) {
        if (byName.has(n)) throw new Error(`command name "${n}" registered twice (feature ${f.name})`);
        byName.set(n, c);
      }
    }
    for (const a of f.actions ?? []) {
      if (actions.has(a.id)) throw new Error(`card action "${a.id}" registered twice (feature ${f.name})`);
      actions.set(a.id, a);
    }
  }
  return {
    features,
    commands: features.flatMap((f) => f.commands ?? []),
    findCommand(text) {
      const t = text.trim();
      if (!t || t.length > MAX_COMMAND_LENGTH) return undefined;
      const [first = '', ...rest] = t.split(/\s+/);
      const command = byName.get(normalizeName(first));
      return command ? { command, args: rest.join(' ').trim() } : undefined;
    },
    action: (id) => actions.get(id),
    messageHandlers: features.flatMap((f) => f.messageHandlers ?? []),
    recallHandlers: features.flatMap((f) => (f.onRecall ? [f.onRecall] : [])),
    givenUpHandlers: features.flatMap((f) => (f.onGivenUp ? [f.onGivenUp] : [])),
  };
}

function normalizeName(n: string): string {
  return n.replace(/^[\/／]/, '').toLowerCase();
}
