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
import type {
  CommandInfo,
  EventOf,
  ProjectTrust,
  RalexEvent,
  SessionHistoryPage,
  SessionInfo,
} from './event-types.js';
import { adoptTokenFromLocation, forgetToken, storeToken } from './pairing.js';
import { settings } from './settings.svelte.js';
import { speakAloud } from './speak-aloud.js';

const SESSION_KEY = 'ralex.session';
/** Commands shown when a session opens; older ones come a page at a time as the user scrolls up. */
const FIRST_PAGE = 30;
const OLDER_PAGE = 30;
/** Events replayed over /ws (after a cut) are applied together, at most this long after they came. */
const REPLAY_BATCH_MS = 50;

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
  /** Command ids in the order they began (their first event's id). */
  order: string[] = $state([]);
  /** The last event id followed live: `/ws` resumes from it. */
  lastEventId = $state(0);
  /** Where the older commands of the session start (`before=` of the next page); null when all are shown. */
  older: number | null = $state(null);
  loadingOlder = $state(false);
  historyError = $state('');
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
  /** Each shown command's first event id: its place in the timeline. */
  private firstEventIds = new Map<string, number>();
  /** Counts session switches: a page that arrives for a session no longer shown is dropped. */
  private generation = 0;
  /** Events replayed over /ws, waiting to be applied in one batch (one DOM update, not one per event). */
  private backlog: RalexEvent[] = [];
  private backlogTimer: ReturnType<typeof setTimeout> | undefined;
  readonly api: ApiClient;

  constructor() {
    this.api = createApiClient(
      () => this.token ?? '',
      () => this.unpair('The server did not accept the token. Pair again.'),
    );
  }

  /** The shown commands of the current session, oldest first. */
  readonly commands: CommandView[] = $derived(this.order.map((id) => this.views[id]!).filter(Boolean));

  /** Approvals waiting for an answer in this session, oldest first (only a running command waits). */
  readonly pending: ApprovalStep[] = $derived(
    this.commands
      .filter((v) => v.status === 'running')
      .map(pendingApproval)
      .filter((a): a is ApprovalStep => a !== null),
  );

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

  /**
   * Switches to another session: its newest commands come as one page of history, then `/ws`
   * follows it live from that page's last event id; older commands load as the user scrolls up.
   */
  follow(sessionId: string): void {
    this.stream?.close();
    this.stream = null;
    this.sessionId = sessionId;
    localStorage.setItem(SESSION_KEY, sessionId);
    this.views = {};
    this.order = [];
    this.firstEventIds.clear();
    this.dropBacklog();
    this.lastEventId = 0;
    this.older = null;
    this.loadingOlder = false;
    this.historyError = '';
    this.status = 'connecting';
    void this.openSession(sessionId, ++this.generation);
  }

  private async openSession(sessionId: string, generation: number): Promise<void> {
    let page: SessionHistoryPage;
    try {
      page = await this.historyPage(sessionId, FIRST_PAGE);
    } catch (error) {
      if (generation !== this.generation || (error instanceof ApiError && error.status === 401)) return;
      this.status = 'offline';
      this.statusDetail = error instanceof Error ? error.message : String(error);
      if (!(error instanceof ApiError && error.status === 404))
        setTimeout(
          () => generation === this.generation && void this.openSession(sessionId, generation),
          3000,
        );
      return;
    }
    if (generation !== this.generation) return;
    this.showPage(page);
    this.lastEventId = page.lastEventId;
    this.stream = openEventStream({
      token: () => this.token ?? '',
      session: sessionId,
      since: page.lastEventId,
      onEvent: (event, live) => this.arrive(event, live),
      onStatus: (status, detail) => {
        if (status === 'live') this.applyBacklog();
        this.status = status;
        this.statusDetail = detail;
      },
      onUnauthorized: () => this.unpair('The server did not accept the token. Pair again.'),
    });
  }

  private historyPage(sessionId: string, limit: number, before?: number): Promise<SessionHistoryPage> {
    const query = new URLSearchParams({
      limit: String(limit),
      ...(before ? { before: String(before) } : {}),
    });
    return this.api.get<SessionHistoryPage>(
      `/api/sessions/${encodeURIComponent(sessionId)}/history?${query}`,
    );
  }

  /** Loads the page of commands before the oldest shown; resolves how many were added. */
  async loadOlder(): Promise<number> {
    const sessionId = this.sessionId;
    if (this.older === null || this.loadingOlder || !sessionId) return 0;
    const generation = this.generation;
    this.loadingOlder = true;
    this.historyError = '';
    try {
      const page = await this.historyPage(sessionId, OLDER_PAGE, this.older);
      if (generation !== this.generation) return 0;
      const shown = this.order.length;
      this.showPage(page);
      return this.order.length - shown;
    } catch (error) {
      if (generation === this.generation)
        this.historyError = error instanceof Error ? error.message : String(error);
      return 0;
    } finally {
      if (generation === this.generation) this.loadingOlder = false;
    }
  }

  /** Folds a page of history in at once (one DOM update), each command in its place. */
  private showPage(page: SessionHistoryPage): void {
    for (const event of page.events) this.fold(event, false);
    this.older = page.older;
    this.keepOrder();
  }

  /** Refreshes the list of sessions. */
  async loadSessions(): Promise<void> {
    this.sessions = (await this.api.get<{ sessions: SessionInfo[] }>('/api/sessions')).sessions;
  }

  /** A session's stored commands (for the sessions sheet). */
  sessionCommands(id: string): Promise<CommandInfo[]> {
    return this.api.get<{ commands: CommandInfo[] }>(`/api/sessions/${id}`).then((s) => s.commands);
  }

  /** An event from /ws: live ones are shown at once; replayed ones (after a cut) wait to be applied together. */
  private arrive(event: RalexEvent, live: boolean): void {
    if (live) {
      this.applyBacklog();
      this.receive(event, true);
      this.keepOrder();
      return;
    }
    this.backlog.push(event);
    this.backlogTimer ??= setTimeout(() => this.applyBacklog(), REPLAY_BATCH_MS);
  }

  private applyBacklog(): void {
    const events = this.backlog;
    this.dropBacklog();
    for (const event of events) this.receive(event, false);
    this.keepOrder();
  }

  private dropBacklog(): void {
    clearTimeout(this.backlogTimer);
    this.backlogTimer = undefined;
    this.backlog = [];
  }

  private receive(event: RalexEvent, live: boolean): void {
    this.lastEventId = event.id;
    if (event.type === 'budget.alert') {
      // Any call may cross a budget — another session's, an Open WebUI chat's: shown and said as it happens.
      this.budgetAlert = event;
      if (live && settings.speakReplies) speakAloud(event.message);
      if (event.sessionId !== this.sessionId) return;
    }
    this.fold(event, live);
  }

  /** Puts the shown commands back in the order they began, if a page or a late event put one out of it. */
  private keepOrder(): void {
    const first = (id: string) => this.firstEventIds.get(id) ?? 0;
    if (this.order.every((id, i) => i === 0 || first(this.order[i - 1]!) < first(id))) return;
    this.order = [...this.order].sort((a, b) => first(a) - first(b));
  }

  /** Applies one event to its command's view (a new view for a command first seen), and says a fresh result. */
  private fold(event: RalexEvent, live: boolean): void {
    if (!event.commandId) return;
    let view = this.views[event.commandId];
    if (!view) {
      this.views[event.commandId] = newCommandView(event);
      this.firstEventIds.set(event.commandId, event.id);
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
