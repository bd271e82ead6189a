import { expect, type Locator, type Page } from "@playwright/test";
import { SEED_POST } from "./post-page";

/** Every kind of page of the site, for the checks that must hold on all of them. */
export const SITE_PAGES = [
  "/",
  "/news",
  "/news/tag/migration",
  SEED_POST,
  "/members",
  "/members/wim-kok",
  "/search?q=migration",
  "/resources/wim-kok-intervention",
  "/take-action",
  "/take-action/thanks",
  "/donate",
  "/cookies",
];

/** What every page has: header navigation, main, footer. */
export class Site {
  readonly main: Locator;
  readonly heading: Locator;
  readonly nav: Locator;
  readonly cookieSettings: Locator;
  readonly cookiePolicy: Locator;

  constructor(readonly page: Page) {
    this.main = page.locator("main#main");
    this.heading = page.getByRole("heading", { level: 1 });
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.cookieSettings = page.getByRole("contentinfo").getByRole("button", { name: "Cookie settings" });
    this.cookiePolicy = page.getByRole("contentinfo").getByRole("link", { name: "Cookie policy" });
  }

  /** Opens a path and waits until the browser has taken the page over. */
  async open(path: string) {
    const response = await this.page.goto(path);
    await this.waitForHydration();
    return response;
  }

  async waitForHydration() {
    await expect(this.page.locator('main[data-hydrated="true"]')).toBeAttached();
  }

  async navigateTo(name: string) {
    await this.nav.getByRole("link", { name }).click();
  }
}

/**
 * Waits until the page's script has taken a form over (it sends it and swaps in the answer);
 * until then it is a plain HTML form, which posts the page away.
 */
export async function formReady(form: Locator) {
  await form.scrollIntoViewIfNeeded();
  await expect(form).toHaveAttribute("data-enhanced", "true");
}
