import type { ComponentHealth } from './component-health.js';

/** What still works while a component is not ok, said to the person instead of failing late. */
export interface Degradation {
  component: string;
  message: string;
}

const DIRECT =
  'Direct commands still work (run the tests, what changed, show a file, list files, undo, commit).';

/** The degradation notes for the components that are not ok, most severe first. */
export function degradationNotes(components: Record<string, ComponentHealth>): Degradation[] {
  const out: Degradation[] = [];
  const at = (name: string) => components[name];
  const store = at('store');
  if (store && store.state === 'down')
    out.push({
      component: 'store',
      message: `The store cannot be read (${store.detail}): commands cannot run or be recorded.`,
    });
  const models = at('models');
  if (models && models.state !== 'ok') {
    const providers = Object.entries(components).filter(([name]) => name.startsWith('model:'));
    const up = providers.filter(([, c]) => c.state === 'ok').map(([name]) => name.slice(6));
    out.push({
      component: 'models',
      message: !providers.length
        ? `No model provider is configured. ${DIRECT} Offline voice works too.`
        : up.length
          ? `Some model providers do not answer (${models.detail}); commands go to ${up.join(', ')}.`
          : `No model provider answers (${models.detail}), so commands that need a model will fail. ${DIRECT} Offline voice works too.`,
    });
  }
  if (at('sandbox')?.state !== 'ok' && at('sandbox'))
    out.push({
      component: 'sandbox',
      message: 'Commands are not sandboxed: every shell command the agent wants to run asks you first.',
    });
  if (at('recogniser')?.state !== 'ok' && at('recogniser'))
    out.push({
      component: 'recogniser',
      message: `Offline speech recognition is off (${at('recogniser')!.detail}): type commands, or use a transcription endpoint in voice.engines.`,
    });
  if (at('sync')?.state !== 'ok' && at('sync'))
    out.push({
      component: 'sync',
      message: `Memory sync cannot reach its remote (${at('sync')!.detail}): memory is kept here and sent when the remote answers.`,
    });
  if (at('docs')?.state !== 'ok' && at('docs'))
    out.push({
      component: 'docs',
      message: `Context7 does not answer (${at('docs')!.lastError?.message ?? at('docs')!.detail}): commands get the installed libraries' docs instead.`,
    });
  if (at('rules')?.state !== 'ok' && at('rules'))
    out.push({ component: 'rules', message: at('rules')!.detail });
  return out;
}
