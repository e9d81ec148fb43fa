/** Public entry of the fake Lark Open API. */
export { FakeLark, startFakeLark } from './fake-lark.js';
export type * from './types.js';
export type { Stall } from './stall.js';
