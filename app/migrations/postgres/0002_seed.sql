-- The seed content, as SQLite's migrations leave it: the news post the site began with, the
-- member it names, its links, and the call to action with its principles.

INSERT INTO members (slug, name, role, bio)
VALUES ('wim-kok', 'Wim Kok', 'Former Prime Minister of the Netherlands', 'Wim Kok was Prime Minister of the Netherlands from 1994 to 2002.');

INSERT INTO posts (slug, title, summary, published_on, body_markdown, body_html, body_text)
VALUES ('a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference', 'A call to action to build shared societies at the Cities of Migration conference', 'Wim Kok called on stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.', '2010-10-06', 'The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.

Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions <q>"In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later"</q>

He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.

His intervention stressed the essential role that political leadership must play to build more cohesive societies. <q>"Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act."</q>

Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.

A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.
', '<p>The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.</p>
<p>Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions <q>"In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later"</q></p>
<p>He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.</p>
<p>His intervention stressed the essential role that political leadership must play to build more cohesive societies. <q>"Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act."</q></p>
<p>Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.</p>
<p>A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.</p>
', 'The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.

Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions <q>"In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later"</q>

He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.

His intervention stressed the essential role that political leadership must play to build more cohesive societies. <q>"Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act."</q>

Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.

A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.
');

INSERT INTO post_members (post_id, member_id, position)
SELECT posts.id, members.id, 0 FROM posts, members
WHERE posts.slug = 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference'
  AND members.slug = 'wim-kok';

INSERT INTO resources (post_id, slug, label, title, url, position)
SELECT id, 'wim-kok-intervention', 'Read Wim Kok’s intervention', 'Wim Kok’s intervention at the Cities of Migration conference', NULL, 1 FROM posts WHERE slug = 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference';

INSERT INTO resources (post_id, slug, label, title, url, position)
SELECT id, 'call-to-action-for-leadership', 'Read the Call to Action for Leadership to build Shared Societies', 'Call to Action for Leadership to build Shared Societies', '/take-action', 2 FROM posts WHERE slug = 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference';

INSERT INTO resources (post_id, slug, label, title, url, position)
SELECT id, 'cities-of-migration-website', 'Access Cities of Migration website', 'Cities of Migration', 'https://citiesofmigration.ca/', 3 FROM posts WHERE slug = 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference';

INSERT INTO campaigns (slug, title, summary, why, first_goal, post_slug)
VALUES ('call-to-action-for-leadership', 'Call to Action for Leadership to build Shared Societies', 'Wim Kok called on stakeholders and global cities to build shared societies at all levels. Read the call, its principles, and sign it.', 'At the Cities of Migration conference in October 2010, Wim Kok, Prime Minister of the Netherlands from 1994 to 2002, stressed the essential role that political leadership must play to build more cohesive societies.

He warned of the rise of populist movements all over Europe that provoke suspicion against migrants, and closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.', 100, 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference');

INSERT INTO campaign_principles (campaign, position, name, sentence)
VALUES ('call-to-action-for-leadership', 1, 'Respect', 'Every person and every community is treated with dignity, whatever their origin, beliefs or language.');

INSERT INTO campaign_principles (campaign, position, name, sentence)
VALUES ('call-to-action-for-leadership', 2, 'Equality of opportunity', 'Everyone has a fair chance to learn, to work and to take part in the life of their city.');

INSERT INTO campaign_principles (campaign, position, name, sentence)
VALUES ('call-to-action-for-leadership', 3, 'Absence of discrimination', 'No one is shut out or met with suspicion for being different, newcomers included.');

INSERT INTO campaign_principles (campaign, position, name, sentence)
VALUES ('call-to-action-for-leadership', 4, 'Democratic participation', 'People have a say in the decisions that shape their lives, through their vote, their voice and their local organisations.');

-- The seed's statements moved the counters; a database fresh from its migrations starts at
-- 1, as SQLite's does (the server tells a fresh database from one imported into by it).
UPDATE content_version SET version = 1;
UPDATE figures_version SET version = 1;
