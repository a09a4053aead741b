import { gitExec } from '../../git/git-exec.js';
import { checkpointRef } from './checkpoint.js';

/**
 * Whether a checkpoint's ref still points at the commit Ralex made (and recorded in its store).
 * Nothing in the sandbox can write refs, but anything else on the machine can: a ref that moved
 * is never trusted — restores use the recorded trees, and the change says the ref was changed.
 */
export async function checkpointRefIntact(root: string, id: string, commit: string): Promise<boolean> {
  const now = await gitExec(root, ['rev-parse', '-q', '--verify', `${checkpointRef(id)}^{commit}`], {
    allowExitCodes: [1],
  });
  return now.trim() === commit;
}
