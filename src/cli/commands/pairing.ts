import type { ServerToken } from '../../server/auth-token.js';

/**
 * Prints the token and a pairing link (the token travels in the URL fragment, which browsers
 * never send to a server) plus its QR code, so a phone connects in seconds.
 */
export async function printPairing(options: { url: string; token: ServerToken; qr: boolean }): Promise<void> {
  const link = `${options.url}/#token=${encodeURIComponent(options.token.value)}`;
  process.stdout.write(
    `  Token (${options.token.source}): ${options.token.value}\n  Pair a phone: ${link}\n`,
  );
  if (!options.qr || !process.stdout.isTTY) return;
  const qrcode = await import('qrcode');
  process.stdout.write(`${await qrcode.toString(link, { type: 'terminal', small: true })}\n`);
}
