// The part of faye 1.4's client API the tests use (faye ships no types): https://faye.jcoglan.com/node/clients.html
declare module "faye" {
  /** A Bayeux message as faye's extensions see it (a reply, or whatever JSON the server answered). */
  interface FayeMessage {
    channel?: string;
    successful?: boolean;
    error?: string;
    [member: string]: unknown;
  }
  /** An extension sees every message; passing null to the callback drops it. */
  interface FayeExtension {
    incoming?(message: FayeMessage, callback: (message: FayeMessage | null) => void): void;
    outgoing?(message: FayeMessage, callback: (message: FayeMessage | null) => void): void;
  }
  interface FayeClient {
    disable(feature: "websocket" | "eventsource" | "autodisconnect"): void;
    setHeader(name: string, value: string): void;
    addExtension(extension: FayeExtension): void;
    on(event: "transport:up" | "transport:down", listener: () => void): void;
    subscribe(channel: string, listener: (data: unknown) => void): PromiseLike<void>;
    disconnect(): void;
  }
  const Faye: {
    /** `retry`: seconds between handshake attempts (default 5); `timeout`: seconds a request may take (default 60). */
    Client: new (endpoint: string, options?: { retry?: number; timeout?: number; interval?: number }) => FayeClient;
  };
  export default Faye;
}
