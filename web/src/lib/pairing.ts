const TOKEN_KEY = 'ralex.token';

/**
 * Takes the token from a pairing link (`/#token=…`), stores it, and removes it from the address
 * bar and history so it is not bookmarked or shared by accident. Returns the stored token.
 */
export function adoptTokenFromLocation(
  location: Location,
  history: History,
  storage: Storage,
): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromLink = params.get('token');
  if (fromLink) {
    storage.setItem(TOKEN_KEY, fromLink.trim());
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  }
  return storage.getItem(TOKEN_KEY);
}

/** Stores a pasted token (a whole pairing link works too). */
export function storeToken(storage: Storage, input: string): string {
  const match = /[#?&]token=([^&\s]+)/.exec(input);
  const token = decodeURIComponent(match ? match[1]! : input).trim();
  storage.setItem(TOKEN_KEY, token);
  return token;
}

/** Forgets the stored token (unpair this device). */
export function forgetToken(storage: Storage): void {
  storage.removeItem(TOKEN_KEY);
}
