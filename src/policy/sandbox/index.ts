/** Running shell commands: the process runner, the bubblewrap sandbox and resource limits. */
export { type BubblewrapRequest, buildBubblewrapArgs } from './bubblewrap.js';
export { buildChildEnv, isSecretEnvName } from './child-env.js';
export { detectSandbox, type SandboxStatus, SandboxStatusSchema } from './detect-sandbox.js';
export { isProcessAlive } from './process-tree.js';
export {
  DEFAULT_MAX_OUTPUT_BYTES,
  type ProcessResult,
  ProcessResultSchema,
  type RunProcessOptions,
  runProcess,
} from './run-process.js';
export {
  DEFAULT_HIDDEN_HOME_PATHS,
  DEFAULT_RESOURCE_LIMITS,
  type ResourceLimits,
  ResourceLimitsSchema,
  type SandboxOptions,
  SandboxOptionsSchema,
} from './sandbox-options.js';
export { KILL_GRACE_MS } from './terminate-run.js';
