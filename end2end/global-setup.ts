import type { FullConfig } from "@playwright/test";
import { addVideoToSeedPost, TEST_VIDEO } from "./tests/pages/database";
import { SEED_POST } from "./tests/pages/post-page";

/**
 * Waits until the site answers, so a server that is still starting is not a failed run; then
 * gives the seed post a video, so every page test also meets the click-to-load placeholder.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL ?? "http://127.0.0.1:3000";
  const deadline = Date.now() + 60_000;
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(baseURL);
      if (response.ok) {
        addVideoToSeedPost(SEED_POST.replace("/news/", ""));
        await waitForVideo(`${baseURL}${SEED_POST}`);
        return;
      }
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the site at ${baseURL} did not answer within 60 s (${lastError})`);
}

/**
 * The site keeps published content in memory and notices changes made behind its back (as
 * this one, with sqlite3) within about a second: wait until the post shows the video.
 */
async function waitForVideo(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const page = await fetch(url).then((response) => response.text());
    if (page.includes(TEST_VIDEO)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the post at ${url} did not show the test video within 15 s`);
}
