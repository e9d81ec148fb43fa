/** Public entry of the fake Lark Open API. */
export { FakeLark, startFakeLark, type ResourceInput } from './fake-lark.js';
export type * from './types.js';
export type { Stall, StallRule } from './stall.js';
