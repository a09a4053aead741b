/** A timer that fires after a stretch of silence, and does not count time while work is held. */
export interface IdleTimer {
  /** Something arrived: the silence starts again. */
  touch(): void;
  /** Work started that may take long without a sound (a tool running, an approval waiting). */
  hold(): void;
  /** That work ended: the silence starts again once nothing is held. */
  release(): void;
  stop(): void;
}

/**
 * Calls `onIdle` after `ms` without a `touch`, except while something is held: a tool that runs
 * for minutes or an approval the user answers late is not a silent model. Holds nest (the AI SDK
 * runs one step's tool calls at once).
 */
export function createIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  let held = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = held === 0 && !stopped ? setTimeout(onIdle, ms) : undefined;
  };
  arm();
  return {
    touch: arm,
    hold() {
      held++;
      clearTimeout(timer);
    },
    release() {
      held = Math.max(0, held - 1);
      arm();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
