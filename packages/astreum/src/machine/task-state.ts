// States of a task (the main program or one actor) as the scheduler sees them.
export const RUNNABLE = 0;
export const DONE = 1;
/** Suspended in `receive` until a message is handed over. */
export const BLOCKED = 2;
/** Gave up its slice so a freshly spawned actor runs first. */
export const YIELDED = 3;
export const FAILED = 4;
export type TaskState = typeof RUNNABLE | typeof DONE | typeof BLOCKED | typeof YIELDED | typeof FAILED;
