import { execFileSync } from "node:child_process";
import path from "node:path";

/** The SQLite file the site under test serves (.ci/test passes it; `.ci/serve` uses data/site.db). */
function databaseFile(): string {
  const root = path.join(__dirname, "../../..");
  const url = process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(root, "data/site.db")}`;
  return url.replace(/^sqlite:\/\//, "").replace(/\?.*$/, "");
}

/**
 * Runs SQL on the site's database with Debian's sqlite3, for fixtures the site has no staff
 * command for yet. Statements must be idempotent: the same run may apply them twice.
 */
export function sql(statement: string): string {
  return execFileSync("sqlite3", ["-cmd", ".timeout 5000", databaseFile(), statement], { encoding: "utf8" });
}

/** The YouTube id of the test video: a valid shape that no request ever leaves the machine for. */
export const TEST_VIDEO = "e2e-fixture";

/** Gives the seed post a video (idempotent). */
export function addVideoToSeedPost(slug: string) {
  sql(
    `INSERT INTO post_media (post_id, position, host, reference, title)
     SELECT id, 0, 'youtube', '${TEST_VIDEO}', 'A test video'
     FROM posts WHERE slug = '${slug}'
     ON CONFLICT DO NOTHING;`,
  );
}
