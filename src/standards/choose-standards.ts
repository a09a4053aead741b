import { projectDependencies } from '../docs/project-dependencies.js';
import { loadStandards, type StandardsPlaces } from './load-standards.js';
import { type RequestProfile, requestProfile, type StandardsRequest } from './request-profile.js';
import { type StandardsSelection, selectStandards } from './select-standards.js';

/** The standards for a request: what was chosen and why, what was left out, the facts used, notes. */
export interface StandardsChoice extends StandardsSelection {
  profile: RequestProfile;
  /** How many standards were read in all. */
  available: number;
  notes: string[];
}

/** Reads the standards of the project and its user and chooses those for one request. */
export async function chooseStandards(req: StandardsRequest, at: StandardsPlaces): Promise<StandardsChoice> {
  const guard = { root: at.root, canRead: at.canRead, outside: [] };
  const [loaded, deps] = await Promise.all([loadStandards(at), projectDependencies(at.root, guard)]);
  const profile = requestProfile(req, deps);
  const selection = selectStandards(loaded.standards, req, profile);
  return { ...selection, profile, available: loaded.standards.length, notes: loaded.notes };
}
