import type { ComponentHealth } from '../../../src/server/health/component-health.js';
import type { Degradation } from '../../../src/server/health/degradation.js';
import type { DashboardData } from '../../../src/stats/dashboard-data.js';
import type { ApiClient } from './api-client.js';

export type { ComponentHealth, DashboardData, Degradation };

/** `GET /health` as the app reads it. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSeconds: number;
  components: Record<string, ComponentHealth>;
  degraded: Degradation[];
}

/** The ranges the dashboard offers. */
export const RANGES = [
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;
/** One of the dashboard's ranges. */
export type RangeId = (typeof RANGES)[number]['id'];

/** Reads the dashboard's figures for a range. */
export function loadDashboard(api: ApiClient, range: RangeId): Promise<DashboardData> {
  return api.get<DashboardData>(`/api/dashboard?since=${range}`);
}

/** Reads `/health` (no token needed, but the app's client sends it anyway). */
export async function loadHealth(): Promise<HealthReport | null> {
  const response = await fetch('/health').catch(() => null);
  return response ? ((await response.json().catch(() => null)) as HealthReport | null) : null;
}

/** "12", "11,640", "340k", "3.4M". */
export function formatCount(n: number): string {
  if (n < 100_000) return Math.round(n).toLocaleString('en');
  if (n < 1_000_000) return `${Math.round(n / 1_000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** A cost, or "—" while no price is known (never a made-up zero). */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** "830 ms", "4.2 s", "—". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** "512 KB", "1.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** "12%", "—" when there is nothing to divide by. */
export function formatShare(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '—';
}

/** Words for an outcome or an intent key (`needs_input` → "asked back", `fix_bug` → "fix bug"). */
export function label(key: string): string {
  const words: Record<string, string> = { needs_input: 'asked back', timed_out: 'timed out' };
  return words[key] ?? key.replaceAll('_', ' ');
}

/** The rows of a tally, largest first. */
export function rows(tally: Record<string, number>): [string, number][] {
  return Object.entries(tally).sort((a, b) => b[1] - a[1]);
}
