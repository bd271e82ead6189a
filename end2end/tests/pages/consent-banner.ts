import { expect, type Locator, type Page, type Request } from "@playwright/test";

export const STORAGE_KEY = "shared-societies.consent";
/** The policy version the site asks about now (`POLICY_VERSION` in app/src/consent.rs). */
export const POLICY_VERSION = 2;

export type ConsentRecord = {
  version: number;
  choices: { analytics: boolean; external_media: boolean };
  decided_at: string;
  id: string;
};

/** The cookie banner: the first layer. */
export class ConsentBanner {
  readonly region: Locator;
  readonly acceptAll: Locator;
  readonly rejectAll: Locator;
  readonly settings: Locator;
  readonly reason: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole("region", { name: "Cookie consent" });
    this.acceptAll = this.region.getByRole("button", { name: "Accept all" });
    this.rejectAll = this.region.getByRole("button", { name: "Reject all" });
    this.settings = this.region.getByRole("button", { name: "Settings" });
    this.reason = this.region.locator(".consent-reason");
  }

  /** The choice kept in local storage, or null. */
  async stored(): Promise<ConsentRecord | null> {
    const raw = await this.page.evaluate((key) => window.localStorage.getItem(key), STORAGE_KEY);
    return raw === null ? null : (JSON.parse(raw) as ConsentRecord);
  }

  /** Puts a choice in storage before the page's own script runs, as an earlier visit would have. */
  async storeBeforeLoad(record: Partial<ConsentRecord> & { decided_at: string }) {
    const full: ConsentRecord = {
      version: POLICY_VERSION,
      choices: { analytics: true, external_media: true },
      id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      ...record,
    };
    await this.page.addInitScript(
      ([key, value]) => window.localStorage.setItem(key, value),
      [STORAGE_KEY, JSON.stringify(full)] as const,
    );
  }
}

/** The preferences: the modal dialog, or the same form on /cookies (`within`). */
export class Preferences {
  readonly root: Locator;
  readonly necessary: Locator;
  readonly analytics: Locator;
  readonly externalMedia: Locator;
  readonly save: Locator;
  readonly acceptAll: Locator;
  readonly rejectAll: Locator;
  readonly close: Locator;

  constructor(readonly page: Page, within?: Locator) {
    this.root = within ?? page.getByRole("dialog", { name: "Cookie settings" });
    this.necessary = this.root.getByRole("switch", { name: /Necessary/ });
    this.analytics = this.root.getByRole("switch", { name: "Analytics" });
    this.externalMedia = this.root.getByRole("switch", { name: "External media" });
    this.save = this.root.getByRole("button", { name: "Save choices" });
    this.acceptAll = this.root.getByRole("button", { name: "Accept all" });
    this.rejectAll = this.root.getByRole("button", { name: "Reject all" });
    this.close = this.root.getByRole("button", { name: /^Close/ });
  }
}

/** Every request the page makes, sorted into what consent governs. */
export class RequestLog {
  readonly all: Request[] = [];

  constructor(
    readonly page: Page,
    readonly baseURL: string,
  ) {
    page.on("request", (request) => this.all.push(request));
  }

  /** Requests to anything but this site (data: and blob: URLs are the page's own). */
  thirdParty(): string[] {
    const origin = new URL(this.baseURL).origin;
    return this.all
      .map((r) => r.url())
      .filter((url) => !url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin);
  }

  /** The paths sent to the page-view counter. */
  pageViews(): string[] {
    return this.all
      .filter((r) => new URL(r.url()).pathname === "/api/page-view")
      .map((r) => new URLSearchParams(r.postData() ?? "").get("path") ?? "");
  }

  /** The records sent as proof of consent. */
  proofs(): ConsentRecord[] {
    return this.all
      .filter((r) => new URL(r.url()).pathname === "/api/consent")
      .map((r) => (JSON.parse(r.postData() ?? "{}") as { record: ConsentRecord }).record);
  }
}

export async function expectFocusInside(locator: Locator) {
  await expect
    .poll(() => locator.evaluate((element) => element.contains(document.activeElement) && document.activeElement !== element))
    .toBe(true);
}
