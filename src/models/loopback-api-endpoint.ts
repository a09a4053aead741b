/** Ralex's own OpenAI-compatible API on a private loopback port, for engines that call models over HTTP. */
export interface LoopbackApi {
  /** e.g. `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  token: string;
}
