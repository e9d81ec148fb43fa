// Preloaded into a child bot (node --import) by tests that set its clock: `Date` starts at
// GAOJIAN_TEST_NOW and runs at real speed from there. Only the wall clock moves; timers do not, so
// the child behaves exactly as it would on that day. The bot itself never reads this variable.
const start = Date.parse(process.env.GAOJIAN_TEST_NOW ?? '');
if (Number.isNaN(start)) throw new Error(`GAOJIAN_TEST_NOW is not a date: ${process.env.GAOJIAN_TEST_NOW}`);
const RealDate = Date;
const offset = start - RealDate.now();

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offset;
  }
}
globalThis.Date = ShiftedDate;
