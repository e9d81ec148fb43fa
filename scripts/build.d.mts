export const ROOT: string;
export const SOURCE_DIRS: string[];
export function buildState(root?: string): 'fresh' | 'stale' | 'missing';
export function findTsc(root?: string): string | undefined;
export function build(root?: string): Promise<number>;
export function ensureBuilt(root?: string, log?: (message: string) => void): Promise<'fresh' | 'built' | 'stale'>;
