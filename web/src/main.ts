import { mount } from 'svelte';
import App from './App.svelte';
import { applyTheme } from './lib/settings.svelte.js';
import './app.css';

applyTheme();
mount(App, { target: document.getElementById('app')! });

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
