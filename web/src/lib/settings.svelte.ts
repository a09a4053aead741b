const KEY = 'ralex.settings';

/** What the user can choose; kept in localStorage. */
export interface Settings {
  /** auto: the browser's recogniser when it works, else the server's; or one of them always. */
  voiceEngine: 'auto' | 'browser' | 'server';
  /** Run a spoken command at once when it ends with a trigger phrase ("…, execute"). */
  autoSubmit: boolean;
  /** Read each command's spoken summary aloud. */
  speakReplies: boolean;
  theme: 'system' | 'light' | 'dark';
}

const DEFAULTS: Settings = { voiceEngine: 'auto', autoSubmit: true, speakReplies: false, theme: 'system' };

function load(): Settings {
  try {
    return { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>) };
  } catch {
    return { ...DEFAULTS };
  }
}

/** The settings, reactive; `saveSettings` after a change. */
export const settings: Settings = $state(load());

/** Persists the current settings and applies the theme. */
export function saveSettings(): void {
  localStorage.setItem(KEY, JSON.stringify(settings));
  applyTheme();
}

/** Sets `data-theme` on <html> (system: none, so prefers-color-scheme decides). */
export function applyTheme(): void {
  const root = document.documentElement;
  if (settings.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = settings.theme;
}
