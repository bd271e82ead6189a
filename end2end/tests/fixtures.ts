import { test as base, expect, type Page } from "@playwright/test";
import { ConsentBanner } from "./pages/consent-banner";
import { PostPage } from "./pages/post-page";
import { Site } from "./pages/site";

type Fixtures = {
  site: Site;
  postPage: PostPage;
  banner: ConsentBanner;
  /** Console errors and uncaught exceptions of the page; every test fails if there are any. */
  consoleErrors: string[];
};

export const test = base.extend<Fixtures>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors = collectErrors(page);
      await use(errors);
      expect(errors, "the browser reported errors").toEqual([]);
    },
    { auto: true },
  ],
  site: async ({ page }, use) => use(new Site(page)),
  postPage: async ({ page }, use) => use(new PostPage(page)),
  banner: async ({ page }, use) => use(new ConsentBanner(page)),
});

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

export { expect };
