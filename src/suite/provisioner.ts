// The interactions a check works on: offered through the target's provisioning hook, or created by the target for
// it (a Reply's new interaction), and all of them ended when the check ends.
import { Op } from "../generated/vocabulary.js";
import { schemas } from "../model/schemas.js";
import type { AccountRole } from "../runner/config.js";
import { CantTell } from "./clause.js";
import type { TargetConfig } from "./run-context.js";
import type { TargetSession } from "./session.js";

export class Provisioner {
  private readonly provisioned: string[] = [];
  /** Interactions the target created for this check (replies): ended when it ends. */
  private readonly created: string[] = [];

  constructor(
    private readonly config: TargetConfig,
    private readonly session: TargetSession,
    /** The check's id, sent as userData so the target's operators can tell whose interaction it is. */
    private readonly checkId: string,
    private readonly note: (text: string) => void,
  ) {}

  /** Every interaction of this check, offered or created. */
  get ids(): string[] {
    return [...this.provisioned, ...this.created];
  }

  /** Asks the target's provisioning hook for a new interaction offered to `role`; ends it when the check ends. */
  async provision(role: AccountRole = "agent", userData: Record<string, unknown> = {}): Promise<string> {
    const hook = this.config.provisioning;
    if (!hook) throw new CantTell("No provisioning hook is configured (provisioning.url).");
    const account = this.config.accounts[role];
    if (!account) throw new CantTell(`No ${role} account is configured.`);
    const answer = await this.session.client().send("POST", hook.url, {
      headers: hook.headers,
      body: { agent: account.username, mediaType: "email", userData: { ConformanceCheck: this.checkId, ...userData } },
    });
    const result = schemas().validate("hook/provision-response.json", answer.body);
    if (answer.status < 200 || answer.status > 299 || !result.valid) {
      const got = answer.status === 0 ? answer.error : `HTTP ${answer.status}`;
      throw new CantTell(`The provisioning hook answered ${got} instead of 2xx with {"id": ...}.`);
    }
    const id = (answer.body as { id: string }).id;
    this.provisioned.push(id);
    return id;
  }

  /** An interaction the target created for this check (a reply): cancelled and removed when the check ends. */
  adopt(id: string): void {
    if (!this.created.includes(id)) this.created.push(id);
  }

  /** Cancels the replies, then asks the hook to remove every interaction of the check. */
  async finish(): Promise<void> {
    // Each interaction is ended apart from the others, so they are ended side by side.
    const cancel = (id: string) =>
      this.session
        .send("agent", "POST", `/api/v2/me/interactions/${encodeURIComponent(id)}`, { operationName: Op.Cancel })
        .catch(() => undefined);
    await Promise.all(this.created.map(cancel));
    await Promise.all([...this.created, ...this.provisioned].map((id) => this.unprovision(id)));
  }

  private async unprovision(id: string): Promise<void> {
    const hook = this.config.provisioning;
    if (!hook) return;
    const answer = await this.session.client().send("DELETE", `${hook.url}/${encodeURIComponent(id)}`, {
      headers: hook.headers,
    });
    if (answer.status !== 404 && (answer.status < 200 || answer.status > 299)) {
      const got = answer.status || answer.error;
      this.note(`The hook's DELETE of ${id} answered ${got}; the interaction may remain on the target.`);
    }
  }
}
