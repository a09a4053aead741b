/** The browser's deferred "install this app" prompt (Chromium's beforeinstallprompt). */
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Whether the app can be installed from a button now, and the action that does it. */
export const install = $state({ available: false });
let deferred: InstallPromptEvent | null = null;

/** Listens for the install prompt; call once at start. */
export function watchInstallPrompt(): void {
  addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    deferred = event as InstallPromptEvent;
    install.available = true;
  });
  addEventListener('appinstalled', () => {
    deferred = null;
    install.available = false;
  });
}

/** Shows the browser's install dialog. */
export async function promptInstall(): Promise<void> {
  if (!deferred) return;
  await deferred.prompt();
  await deferred.userChoice;
  deferred = null;
  install.available = false;
}
