// The notification client tests' shared setup: a small real CometD server for the test file, the clients a test
// connects (disconnected after each test), and a predicate on the `n` the tests deliver.
import { afterAll, afterEach, beforeAll } from "vitest";
import {
  NotificationClient,
  type NotificationClientOptions,
  type ReceivedNotification,
} from "../../src/client/notifications.js";
import { startMiniCometd, type MiniCometd } from "./mini-cometd.js";

export const USERS = { agent1: "secret-one", agent2: "secret-two" };

export let server: MiniCometd;
const clients: NotificationClient[] = [];

/** Starts the server before the file's tests, disconnects each test's clients after it, closes it at the end. */
export function useMiniCometd(): void {
  beforeAll(async () => {
    server = await startMiniCometd(USERS);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  });
  afterAll(async () => {
    await server.close();
  });
}

export async function connect(username: keyof typeof USERS, extra: Partial<NotificationClientOptions> = {}) {
  const client = await NotificationClient.connect({
    url: server.url,
    username,
    password: USERS[username],
    label: username,
    ...extra,
  });
  clients.push(client);
  return client;
}

export const hasN = (n: number) => (m: ReceivedNotification) => (m.data as { n?: number }).n === n;
