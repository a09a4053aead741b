import { z } from 'zod';

/** One workflow step: a command as you would say it ("run the tests", "review the changes"). */
export const WorkflowStepSchema = z
  .object({
    run: z.string().trim().min(1, 'a step needs the command to run, e.g. run: run the tests'),
    /** Go on to the next step even when this one fails. */
    continue_on_failure: z.boolean().default(false),
  })
  .strict();

/** A named sequence of steps, started by its name or one of its trigger phrases. */
export const WorkflowSchema = z
  .object({
    description: z.string().optional(),
    /** Phrases that start it, e.g. "prepare for code review". */
    triggers: z.array(z.string().trim().min(1)).default([]),
    steps: z.array(WorkflowStepSchema).min(1, 'a workflow needs at least one step'),
  })
  .strict();

/** `.ralex/config/workflows.yaml`: workflows by name. */
export const WorkflowsFileSchema = z
  .object({
    workflows: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9 _-]*$/i, 'use letters, digits, spaces, "-" or "_"'),
        WorkflowSchema,
      )
      .default({}),
  })
  .strict();

/** One workflow. */
export type Workflow = z.infer<typeof WorkflowSchema>;
/** Workflows by name. */
export type Workflows = Record<string, Workflow>;

/** The commented workflows.yaml that `ralex init` writes. */
export const DEFAULT_WORKFLOWS_YAML = `# Ralex workflows: named sequences of commands, started by voice or text —
# "run workflow code review", "Ralex, prepare for code review". Each step is a command as you
# would say it; steps run in order and the workflow stops at the first failure
# (unless the step says continue_on_failure: true).

workflows:
  code review:
    description: Check the work before asking for a review.
    triggers: ["prepare for code review"]
    steps:
      - run: run the tests
      - run: what changed
      - run: review the changes since the last commit

  release check:
    triggers: ["prepare for release"]
    steps:
      - run: run the tests
      - run: what changed
`;
