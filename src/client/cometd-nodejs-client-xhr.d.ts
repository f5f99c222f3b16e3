// Types for cometd-nodejs-client's XMLHttpRequest, which the package ships without declarations.
declare module "cometd-nodejs-client/src/XMLHttpRequest.js" {
  /** Cookies by host name, then by cookie name, each value a "name=value" string. */
  export type CookieJar = Record<string, Record<string, string>>;
  export class XMLHttpRequest {
    static readonly UNSENT: 0;
    static readonly DONE: 4;
    constructor(options?: { globalCookies?: CookieJar; logLevel?: "debug" | "info" });
    readonly readyState: number;
    readonly responseText: string;
    readonly status: number;
    readonly statusText: string;
    context?: unknown;
    withCredentials?: boolean;
    onload?: () => void;
    onerror?: (error?: unknown) => void;
    onabort?: () => void;
    open(method: string, uri: string | URL): void;
    setRequestHeader(name: string, value: string): void;
    send(data?: string): void;
    abort(): void;
  }
}
