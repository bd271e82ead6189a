import type { Locator, Page } from "@playwright/test";

export const STORAGE_KEY = "shared-societies.consent";

export type ConsentRecord = {
  version: number;
  choices: { analytics: boolean; external_media: boolean };
  decided_at: string;
  id: string;
};

/** The cookie banner and its settings layer. */
export class ConsentBanner {
  readonly region: Locator;
  readonly acceptAll: Locator;
  readonly rejectAll: Locator;
  readonly settings: Locator;
  readonly analytics: Locator;
  readonly externalMedia: Locator;
  readonly saveChoices: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole("region", { name: "Cookie consent" });
    this.acceptAll = this.region.getByRole("button", { name: "Accept all" });
    this.rejectAll = this.region.getByRole("button", { name: "Reject all" });
    this.settings = this.region.getByRole("button", { name: "Settings" });
    this.analytics = this.region.getByRole("checkbox", { name: /Analytics/ });
    this.externalMedia = this.region.getByRole("checkbox", { name: /External media/ });
    this.saveChoices = this.region.getByRole("button", { name: "Save choices" });
  }

  /** The choice kept in local storage, or null. */
  async stored(): Promise<ConsentRecord | null> {
    const raw = await this.page.evaluate((key) => window.localStorage.getItem(key), STORAGE_KEY);
    return raw === null ? null : (JSON.parse(raw) as ConsentRecord);
  }
}
