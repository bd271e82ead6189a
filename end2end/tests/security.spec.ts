import { expect, test } from "./fixtures";
import { SEED_POST } from "./pages/post-page";

const PAGES = ["/", "/news", SEED_POST, "/members/wim-kok", "/take-action", "/donate", "/cookies", "/no/such/page"];

test.describe("under the Content-Security-Policy", () => {
  for (const path of PAGES) {
    test(`${path} hydrates and nothing is refused`, async ({ page, site, consoleErrors }) => {
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener("securitypolicyviolation", (event) =>
          seen.push(`${event.violatedDirective} ${event.blockedURI}`),
        );
      });
      const response = await page.goto(path);
      expect(response?.headers()["content-security-policy"]).toContain("'nonce-");
      await site.waitForHydration();
      // Interaction proves the wasm runs: the banner answers.
      await page.getByRole("region", { name: "Cookie consent" }).getByRole("button", { name: "Reject all" }).click();
      await expect(page.getByRole("region", { name: "Cookie consent" })).toBeHidden();
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
      if (path === "/no/such/page") {
        expect(consoleErrors).toEqual([expect.stringContaining("404")]);
        consoleErrors.length = 0;
      }
    });
  }

  test("a video loads inside the policy once allowed", async ({ page, site, banner }) => {
    await page.route("https://www.youtube-nocookie.com/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>video</title>" }),
    );
    const violations: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) violations.push(message.text());
    });
    await site.open(SEED_POST);
    await banner.acceptAll.click();
    await expect(page.locator("figure.embed iframe")).toBeVisible();
    expect(violations).toEqual([]);
  });
});
