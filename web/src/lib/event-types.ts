/**
 * The server's shapes the app reads, imported as types from Ralex's own sources so the wire
 * contract has one definition (type-only: nothing from src/ ends up in the bundle).
 */

import type { CommandResult } from '../../../src/command/command-result.js';
import type { ParsedCommand } from '../../../src/command/parsed-command.js';
import type { PreferencesTrust } from '../../../src/config/preferences-trust-status.js';
import type { EventOf, EventType, RalexEvent } from '../../../src/events/events.js';
import type { RulesTrust } from '../../../src/policy/rules-trust-status.js';
import type { SessionHistoryPage } from '../../../src/server/routes/session-history.js';

export type { CommandResult, EventOf, EventType, ParsedCommand, RalexEvent, SessionHistoryPage };

/** `GET /api/trust`: the project's security rules' trust status, with its preferences' beside it. */
export type ProjectTrust = RulesTrust & { preferences: PreferencesTrust; restartNeeded?: boolean };

/** A session as `GET /api/sessions` lists it. */
export interface SessionInfo {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** A stored command as `GET /api/sessions/:id` lists it. */
export interface CommandInfo {
  id: string;
  sessionId: string;
  text: string;
  source: string;
  status: string;
  intent: string | null;
  createdAt: string;
  result: Partial<CommandResult> | null;
}

/** What `POST /v1/audio/transcriptions` answers as JSON (Ralex adds the parsed command). */
export interface TranscriptionAnswer {
  text: string;
  command?: { intent?: string; files?: string[]; autoSubmit?: boolean; trigger?: string | null };
}
