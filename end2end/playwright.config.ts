import { defineConfig, devices } from "@playwright/test";
import { execSync } from "node:child_process";

// Debian's Chromium: Playwright's own browser download is not reachable from these machines.
const chromium =
  process.env.CHROMIUM_PATH ?? execSync("command -v chromium").toString().trim();

export default defineConfig({
  testDir: "./tests",
  // One worker: the site runs on one small SQLite file and the machines have two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromium,
          // Without these Chromium keeps trying to reach Google's hosts, which this network refuses.
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
});
