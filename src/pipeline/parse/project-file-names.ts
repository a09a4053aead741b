import { join } from 'node:path';
import type { FileIndex } from '../../project/file-index.js';
import { type ListingStamp, listingStampHolds, takeListingStamp } from '../../project/listing-stamp.js';
import { createFileMatcher, type FileMatcher } from './file-matcher.js';
import { openStoredFileNames, type StoredFileNames } from './stored-file-names.js';

/** File name of the stored file names inside `.ralex/state/`. */
export const FILE_NAMES_DB = 'file-names.db';

/** What the parse stage resolves file names against, kept current with the project. */
export interface ProjectFileNames {
  /**
   * A matcher over the project's files as they are now. While git's index, the files' folders
   * and the ignore files are unchanged (checked by their stamps, no git call), the stored names
   * are used as they are; otherwise the files are listed again and the names updated by difference.
   */
  matcher(): Promise<FileMatcher>;
  /** What the last `matcher()` did: used the stored names as they were, or listed and synced. */
  readonly last: { listed: boolean; added: number; removed: number } | null;
  close(): void;
}

/**
 * The project's file names, stored in `<stateDir>/file-names.db` so every process (`ralex run`,
 * `ralex serve`) shares them and none rebuilds them from scratch. Falls back to an in-memory
 * matcher over `files.list()` when the store cannot be opened.
 */
export function openProjectFileNames(options: {
  root: string;
  stateDir: string;
  files: FileIndex;
  env?: NodeJS.ProcessEnv;
}): ProjectFileNames {
  let stored: StoredFileNames | null | undefined;
  let last: ProjectFileNames['last'] = null;
  const open = () => {
    if (stored !== undefined) return stored;
    try {
      stored = openStoredFileNames(join(options.stateDir, FILE_NAMES_DB));
    } catch (error) {
      console.error(`ralex: file names kept in memory only (${(error as Error).message})`);
      stored = null;
    }
    return stored;
  };

  const storedMatcher = async (names: StoredFileNames): Promise<FileMatcher> => {
    if (listingStampHolds(readStamp(names.getMeta('stamp')))) {
      last = { listed: false, added: 0, removed: 0 };
      return names.matcher;
    }
    const listedAt = Date.now();
    options.files.invalidate();
    const files = await options.files.list();
    const stamp = takeListingStamp(options.root, files, listedAt, options.env);
    const { added, removed } = names.sync(files, { stamp: JSON.stringify(stamp) });
    last = { listed: true, added, removed };
    return names.matcher;
  };

  return {
    get last() {
      return last;
    },
    async matcher() {
      const names = open();
      if (names) {
        try {
          return await storedMatcher(names);
        } catch (error) {
          // A store another process holds too long, or one damaged meanwhile: this command
          // matches in memory; the store is opened afresh next time.
          console.error(`ralex: file names matched in memory this time (${(error as Error).message})`);
          names.close();
          stored = undefined;
        }
      }
      last = { listed: true, added: 0, removed: 0 };
      return createFileMatcher(await options.files.list());
    },
    close() {
      stored?.close();
      stored = null;
    },
  };
}

function readStamp(json: string | undefined): ListingStamp | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as ListingStamp;
  } catch {
    return undefined;
  }
}
