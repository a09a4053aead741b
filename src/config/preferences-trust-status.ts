import { z } from 'zod';

/** Whether a project's preferences apply in full, and what they would send out or widen. */
export const PreferencesTrustSchema = z.object({
  /** The preferences file, relative to the project root. */
  file: z.string(),
  /** absent: no file; trusted: this exact file was trusted; untrusted: its outward settings are ignored. */
  state: z.enum(['absent', 'trusted', 'untrusted']),
  sha256: z.string().nullable(),
  /** Settings that send data out or widen the sandbox (ignored while untrusted). */
  outward: z.array(z.object({ key: z.string(), words: z.string() })),
  message: z.string(),
});
/** Whether a project's preferences apply in full. */
export type PreferencesTrust = z.infer<typeof PreferencesTrustSchema>;
