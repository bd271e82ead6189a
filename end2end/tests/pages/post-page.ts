import type { Locator, Page } from "@playwright/test";

export const SEED_POST =
  "/news/a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference";

export const SEED_TITLE =
  "A call to action to build shared societies at the Cities of Migration conference";

/** The seed post's paragraphs, word for word as the old site had them. */
export const SEED_PARAGRAPHS = [
  "The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.",
  'Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions "In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later"',
  "He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.",
  'His intervention stressed the essential role that political leadership must play to build more cohesive societies. "Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act."',
  "Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.",
  "A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.",
];

export const DONATION_PROMPT =
  "WLA-CdM is committed to advancing democracy worldwide. With your support, we can advance democratic values and foster social and political change. You can help ensure a sustainable future for the next generations by joining our efforts in a variety of ways. Here’s how you can make a difference.";

/** The seed news post. */
export class PostPage {
  readonly title: Locator;
  readonly date: Locator;
  readonly paragraphs: Locator;
  readonly quotations: Locator;
  readonly furtherReading: Locator;
  readonly interventionLink: Locator;
  readonly callToActionLink: Locator;
  readonly citiesOfMigrationLink: Locator;
  readonly relatedMembers: Locator;
  readonly donationPrompt: Locator;

  constructor(readonly page: Page) {
    const article = page.getByRole("article");
    this.title = page.getByRole("heading", { level: 1 });
    this.date = article.locator("time");
    this.paragraphs = article.locator(".post-body p");
    this.quotations = article.locator(".post-body q");
    this.furtherReading = page.getByRole("navigation", { name: "Further reading" });
    this.interventionLink = this.furtherReading.getByRole("link", { name: "Read Wim Kok’s intervention" });
    this.callToActionLink = this.furtherReading.getByRole("link", {
      name: "Read the Call to Action for Leadership to build Shared Societies",
    });
    this.citiesOfMigrationLink = this.furtherReading.getByRole("link", {
      name: /Access Cities of Migration website/,
    });
    this.relatedMembers = page.getByRole("region", { name: "Related Members" });
    this.donationPrompt = page.getByRole("complementary", { name: "Support our work" });
  }

  async goto() {
    return this.page.goto(SEED_POST);
  }

  memberLink(name: string): Locator {
    return this.relatedMembers.getByRole("link", { name });
  }
}
