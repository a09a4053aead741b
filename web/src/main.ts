import { mount } from 'svelte';
import App from './App.svelte';
import { watchInstallPrompt } from './lib/install-prompt.svelte.js';
import { applyTheme } from './lib/settings.svelte.js';
import './app.css';

applyTheme();
watchInstallPrompt();
mount(App, { target: document.getElementById('app')! });

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
