import { type ApiClient, ApiError, createApiClient } from './api-client.js';
import {
  type ApprovalStep,
  applyEvent,
  type CommandView,
  newCommandView,
  pendingApproval,
  phaseOf,
} from './command-view.js';
import { type EventStream, openEventStream, type StreamStatus } from './event-stream.js';
import type { CommandInfo, EventOf, ProjectTrust, RalexEvent, SessionInfo } from './event-types.js';
import { adoptTokenFromLocation, forgetToken, storeToken } from './pairing.js';
import { settings } from './settings.svelte.js';
import { speakAloud } from './speak-aloud.js';

const SESSION_KEY = 'ralex.session';

/**
 * The app's state: the pairing token, the current session and its commands folded from the
 * live event stream, the connection status, and the actions (submit, answer, switch session).
 */
export class RalexApp {
  token: string | null = $state(null);
  pairingError = $state('');
  status: StreamStatus = $state('connecting');
  statusDetail = $state('');
  sessions: SessionInfo[] = $state([]);
  sessionId: string | null = $state(null);
  views: Record<string, CommandView> = $state({});
  order: string[] = $state([]);
  lastEventId = $state(0);
  submitError = $state('');
  /** The command being written or corrected (the text box). */
  draft = $state('');
  /** Whether the project's own rules and preferences are trusted (GET /api/trust); null until read. */
  trust: ProjectTrust | null = $state(null);
  trustError = $state('');
  /** The latest budget crossing 80% or 100% (any session's call); null until one happens or once dismissed. */
  budgetAlert: EventOf<'budget.alert'> | null = $state(null);
  /** Commands sent from this tab: their summaries are spoken even if they finish during a replay. */
  private mine = new Set<string>();
  /** Commands whose end was already announced (a replay after a switch or a cut says nothing again). */
  private said = new Set<string>();
  private stream: EventStream | null = null;
  readonly api: ApiClient;

  constructor() {
    this.api = createApiClient(
      () => this.token ?? '',
      () => this.unpair('The server did not accept the token. Pair again.'),
    );
  }

  /** The commands of the current session, oldest first. */
  get commands(): CommandView[] {
    return this.order.map((id) => this.views[id]!).filter(Boolean);
  }

  /** Approvals waiting for an answer in this session, oldest first. */
  get pending(): ApprovalStep[] {
    return this.commands.map(pendingApproval).filter((a): a is ApprovalStep => a !== null);
  }

  /** Reads a pairing link or the stored token, then connects. */
  async boot(): Promise<void> {
    this.token = adoptTokenFromLocation(location, history, localStorage);
    if (this.token) await this.connect();
  }

  /** Pairs with a pasted token or pairing link. */
  async pair(input: string): Promise<void> {
    if (!input.trim()) return;
    this.pairingError = '';
    this.token = storeToken(localStorage, input);
    await this.connect();
  }

  /** Forgets the token (this device is no longer paired). */
  unpair(reason = ''): void {
    this.stream?.close();
    this.stream = null;
    forgetToken(localStorage);
    this.token = null;
    this.pairingError = reason;
  }

  private async connect(): Promise<void> {
    try {
      const { sessions } = await this.api.get<{ sessions: SessionInfo[] }>('/api/sessions');
      this.sessions = sessions;
      const stored = localStorage.getItem(SESSION_KEY);
      const chosen = sessions.find((s) => s.id === stored) ?? sessions[0];
      if (chosen) this.follow(chosen.id);
      else await this.newSession();
      void this.loadTrust();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      this.status = 'offline';
      this.statusDetail = error instanceof Error ? error.message : String(error);
      setTimeout(() => this.token && !this.stream && void this.connect(), 3000);
    }
  }

  /** Reads whether the project's own rules and preferences wait for the user's trust. */
  async loadTrust(): Promise<void> {
    this.trust = await this.api.get<ProjectTrust>('/api/trust').catch(() => null);
  }

  /** Trusts the files exactly as shown (by their SHA-256): one changed since stays untrusted. */
  async trustProject(): Promise<void> {
    const t = this.trust;
    if (!t) return;
    this.trustError = '';
    try {
      this.trust = await this.api.post<ProjectTrust>('/api/trust', {
        ...(t.state === 'untrusted' && t.sha256 ? { rulesSha256: t.sha256 } : {}),
        ...(t.preferences.state === 'untrusted' && t.preferences.sha256
          ? { preferencesSha256: t.preferences.sha256 }
          : {}),
      });
    } catch (error) {
      this.trustError = error instanceof Error ? error.message : String(error);
    }
  }

  /** Starts a new session and switches to it. */
  async newSession(title = 'Web session'): Promise<void> {
    const session = await this.api.post<SessionInfo>('/api/sessions', { title });
    this.sessions = [session, ...this.sessions.filter((s) => s.id !== session.id)];
    this.follow(session.id);
  }

  /** Switches to another session: its history is replayed from the event log. */
  follow(sessionId: string): void {
    this.stream?.close();
    this.sessionId = sessionId;
    localStorage.setItem(SESSION_KEY, sessionId);
    this.views = {};
    this.order = [];
    this.lastEventId = 0;
    this.stream = openEventStream({
      token: () => this.token ?? '',
      session: sessionId,
      since: 0,
      onEvent: (event, live) => this.receive(event, live),
      onStatus: (status, detail) => {
        this.status = status;
        this.statusDetail = detail;
      },
      onUnauthorized: () => this.unpair('The server did not accept the token. Pair again.'),
    });
  }

  /** Refreshes the list of sessions. */
  async loadSessions(): Promise<void> {
    this.sessions = (await this.api.get<{ sessions: SessionInfo[] }>('/api/sessions')).sessions;
  }

  /** A session's stored commands (for the sessions sheet). */
  sessionCommands(id: string): Promise<CommandInfo[]> {
    return this.api.get<{ commands: CommandInfo[] }>(`/api/sessions/${id}`).then((s) => s.commands);
  }

  private receive(event: RalexEvent, live: boolean): void {
    this.lastEventId = event.id;
    if (event.type === 'budget.alert') {
      // Any call may cross a budget — another session's, an Open WebUI chat's: shown and said as it happens.
      this.budgetAlert = event;
      if (live && settings.speakReplies) speakAloud(event.message);
      if (event.sessionId !== this.sessionId) return;
    }
    if (!event.commandId) return;
    let view = this.views[event.commandId];
    if (!view) {
      this.views[event.commandId] = newCommandView(event);
      this.order.push(event.commandId);
      view = this.views[event.commandId]!;
    }
    applyEvent(view, event);
    const fresh = live || this.mine.has(view.commandId);
    if (event.type === 'command.finished' && fresh && !this.said.has(view.commandId)) {
      this.said.add(view.commandId);
      if (settings.speakReplies) speakAloud(view.result?.spoken ?? '');
    }
  }

  /** Sends a command to run in the current session. */
  async submit(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (!trimmed) return false;
    this.submitError = '';
    try {
      const { commandId } = await this.api.post<{ commandId: string }>('/api/commands', {
        text: trimmed,
        ...(this.sessionId ? { sessionId: this.sessionId } : {}),
      });
      this.mine.add(commandId);
      return true;
    } catch (error) {
      this.submitError =
        error instanceof ApiError && error.hint
          ? `${error.message} ${error.hint}`
          : String((error as Error).message);
      return false;
    }
  }

  /** Answers an approval from its card. */
  async answer(approvalId: string, approve: boolean): Promise<void> {
    try {
      await this.api.post(`/api/approvals/${approvalId}`, { approve });
    } catch (error) {
      this.submitError = (error as Error).message;
    }
  }

  /** Cancels a running command. */
  async cancel(commandId: string): Promise<void> {
    await this.api.post(`/api/commands/${commandId}/cancel`).catch(() => undefined);
  }

  /** Drops the live connection and reconnects (replaying what was missed). */
  reconnect(): void {
    this.stream?.reconnect();
  }

  /** The newest command's phase, for the status line. */
  get latestPhase() {
    const last = this.commands.at(-1);
    return last ? phaseOf(last) : null;
  }
}
