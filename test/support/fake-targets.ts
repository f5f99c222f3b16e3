// Small misbehaving servers on 127.0.0.1 for the runner's robustness tests. Each closes every connection on
// close(), so nothing they hold open can keep a test waiting.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTarget {
  url: string;
  close(): Promise<void>;
}

export async function fakeTarget(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeTarget> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The configuration that points the runner at a fake target (the hook lives on the same server). */
export function fakeConfig(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: { baseUrl: url },
    profile: "seed",
    accounts: {
      agent: { username: "agent1", password: "fake-password-1" },
      agent2: { username: "agent2", password: "fake-password-2" },
    },
    provisioning: { url: `${url}/test-hooks/interactions`, headers: { "X-Hook-Key": "fake-hook-key" } },
    timeouts: { requestMs: 1000, notificationMs: 1000 },
    ...extra,
  };
}
