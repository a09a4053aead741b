/** Process groups of the runs in flight, killed if Ralex itself exits while they run. */
const active = new Set<number>();
let installed = false;

const killAll = () => {
  for (const pgid of active) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
};

/**
 * Registers a run's process group so that a Ralex exit (normal or `process.exit`) does not
 * leave it running; sandboxed runs also die with Ralex through bwrap's --die-with-parent.
 * Returns the function that unregisters it.
 */
export function trackRunGroup(pgid: number): () => void {
  if (!installed) {
    process.on('exit', killAll);
    installed = true;
  }
  active.add(pgid);
  return () => active.delete(pgid);
}
