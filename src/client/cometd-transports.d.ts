// cometd exports its transport classes, but its .d.ts does not declare them; this augments it with the one we extend.
import type { Transport } from "cometd";

declare module "cometd" {
  export class LongPollingTransport implements Transport {
    readonly type: string;
    url: string;
    accept(version: string, crossDomain: boolean, url: string): boolean;
    abort(): void;
    /** Sends one Bayeux envelope over a new XMLHttpRequest and returns it. */
    xhrSend(packet: unknown): unknown;
  }
}
