import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedDistribution } from './python-environment.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A site-packages folder holding distributions: `name-version` → the import names they provide. */
async function sitePackages(dists: Record<string, string[]>): Promise<string> {
  const site = await mkdtemp(join(tmpdir(), 'ralex-site-'));
  dirs.push(site);
  for (const [dist, names] of Object.entries(dists)) await install(site, dist, names);
  return site;
}

async function install(site: string, dist: string, names: string[]) {
  await mkdir(join(site, `${dist}.dist-info`));
  await writeFile(join(site, `${dist}.dist-info`, 'top_level.txt'), `${names.join('\n')}\n`);
}

describe('installedDistribution', () => {
  it('finds a distribution by its name, then by the import names it provides, and sees installs and removals', async () => {
    const site = await sitePackages({ 'Werkzeug-3.0.1': ['werkzeug'], 'PyYAML-6.0.1': ['_yaml', 'yaml'] });
    expect(await installedDistribution('werkzeug', [site])).toMatchObject({
      name: 'Werkzeug',
      version: '3.0.1',
    });
    expect(await installedDistribution('yaml', [site])).toMatchObject({ name: 'PyYAML', version: '6.0.1' });
    expect(await installedDistribution('dateutil', [site])).toBeNull();
    // Installed after the folder was read: the next lookup sees it.
    await install(site, 'python_dateutil-2.9.0', ['dateutil']);
    expect(await installedDistribution('dateutil', [site])).toMatchObject({
      name: 'python_dateutil',
      version: '2.9.0',
    });
    // Upgraded in place (pip replaces the metadata folder): the new version.
    await rm(join(site, 'PyYAML-6.0.1.dist-info'), { recursive: true });
    await install(site, 'PyYAML-6.0.2', ['_yaml', 'yaml']);
    expect(await installedDistribution('yaml', [site])).toMatchObject({ version: '6.0.2' });
    await rm(join(site, 'PyYAML-6.0.2.dist-info'), { recursive: true });
    expect(await installedDistribution('yaml', [site])).toBeNull();
  });

  it('takes the first folder that has it, as Python does', async () => {
    const venv = await sitePackages({ 'PyYAML-6.0.2': ['yaml'] });
    const system = await sitePackages({ 'PyYAML-5.4.1': ['yaml'] });
    expect(await installedDistribution('yaml', [venv, system])).toMatchObject({ version: '6.0.2' });
    expect(await installedDistribution('yaml', [system, venv])).toMatchObject({ version: '5.4.1' });
  });
});
