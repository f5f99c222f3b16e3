// HTTP Basic credentials (gws-facts: 'HTTP Basic on every request'), built in one place.

/** The base64 token of `username:password`; a secret in its own right (the redactor knows it). */
export const basicToken = (username: string, password: string) =>
  Buffer.from(`${username}:${password}`).toString("base64");

/** The Authorization header value for `username:password`. */
export const basicAuth = (username: string, password: string) => `Basic ${basicToken(username, password)}`;
