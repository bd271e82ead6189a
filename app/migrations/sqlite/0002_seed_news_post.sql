-- The site's first content: the news post of the scraped seed page, verbatim (only the
-- scrape's glitches fixed: the doubled title and "Oct 062010"), with its three links and the
-- member it is about. ON CONFLICT keeps this harmless if an import already stored the post.

INSERT INTO members (slug, name, role, bio)
VALUES (
    'wim-kok',
    'Wim Kok',
    'Former Prime Minister of the Netherlands',
    'Wim Kok was Prime Minister of the Netherlands from 1994 to 2002.'
)
ON CONFLICT (slug) DO NOTHING;

INSERT INTO posts (slug, title, summary, published_on, body_markdown, body_html)
VALUES (
    'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference',
    'A call to action to build shared societies at the Cities of Migration conference',
    'Wim Kok called on stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.',
    '2010-10-06',
    'The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.

Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions <q>"In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later"</q>

He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.

His intervention stressed the essential role that political leadership must play to build more cohesive societies. <q>"Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act."</q>

Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.

A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.
',
    '<p>The meeting proved successful in engaging international city leaders, migration experts and local practitioners in a practical dialogue. The participants exchanged ideas relating to the issue of integration as a critical dimension of urban prosperity and growth.</p>
<p>Wim Kok highlighted the inevitable rise in immigration. He stressed the need to find ways of confronting the challenges that migration brings to societies in order to avoid tensions <q>"In times where people feel uncertain about the future ..., misperceptions of people who are different easily can create tensions even if reality differs from perceptions. When tensions grow, then perceptions easily become reality, rather sooner than later"</q></p>
<p>He also alerted the conference to the increase of populist movements all over Europe, movements that provoke suspicion in people against migrants as a form of self protection. He advocated establishing programs and policies based on the principles of the Shared Societies project: Respect, Equality of opportunity, Absence of discrimination and Democratic participation.</p>
<p>His intervention stressed the essential role that political leadership must play to build more cohesive societies. <q>"Leadership is important to make the cogent argument that our society is a better place for all of us if we embrace diversity even if it is initially challenging. But political leaders cannot replace the contribution of individuals in their own communities and the work of local organisations. Political leadership often needs to be enabling leadership which encourages or makes it possible for attitudes to change and communities to act."</q></p>
<p>Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.</p>
<p>A market-place of good practices for social inclusion took place during the conference. Participants benefited from the experience of cities that have successfully implemented innovative policies and programs aimed at greater social cohesion at the local level. Some of those practices have already been replicated in other cities. There was interest among the participants to work with the Shared Societies Project to present some of their experiences in our examples of best practices for shared societies.</p>
'
)
ON CONFLICT (slug) DO NOTHING;

INSERT INTO post_members (post_id, member_id, position)
SELECT p.id, m.id, 0 FROM posts p, members m
WHERE p.slug = 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference'
  AND m.slug = 'wim-kok'
ON CONFLICT DO NOTHING;

INSERT INTO resources (post_id, slug, label, title, url, position)
SELECT p.id, r.slug, r.label, r.title, r.url, r.position
FROM posts p,
     (SELECT 'wim-kok-intervention' AS slug, 'Read Wim Kok’s intervention' AS label,
             'Wim Kok’s intervention at the Cities of Migration conference' AS title,
             NULL AS url, 1 AS position
      UNION ALL
      SELECT 'call-to-action-for-leadership',
             'Read the Call to Action for Leadership to build Shared Societies',
             'Call to Action for Leadership to build Shared Societies', '/take-action', 2
      UNION ALL
      SELECT 'cities-of-migration-website', 'Access Cities of Migration website',
             'Cities of Migration', 'https://citiesofmigration.ca/', 3) AS r
WHERE p.slug = 'a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference'
ON CONFLICT (slug) DO NOTHING;
