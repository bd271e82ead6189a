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
      const documents = collectDocuments(page);
      await use(errors);
      // The documents the page loaded, with their policies, say where a refused script came from.
      expect(errors, `the browser reported errors; documents loaded:\n${documents.join("\n")}`).toEqual([]);
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

/** Each document the page loaded: status, address and the policy it came with. */
function collectDocuments(page: Page): string[] {
  const documents: string[] = [];
  page.on("response", (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      const headers = response.headers();
      documents.push(
        `${response.status()} ${request.method()} ${response.url()} ` +
          `csp=${(headers["content-security-policy"] ?? "none").slice(0, 72)} date=${headers["date"] ?? "?"}`,
      );
    }
  });
  return documents;
}

export { expect };
