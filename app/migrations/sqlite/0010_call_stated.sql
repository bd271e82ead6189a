-- The call's page opens with what a signer joins: each principle in a sentence of its own,
-- and "why it matters" with its subject named (the post's paragraphs began "His
-- intervention…", and no "he" comes before them on that page). The text is the site's own,
-- from the post's facts; no words are put in anyone's mouth.

ALTER TABLE campaign_principles ADD COLUMN sentence TEXT NOT NULL DEFAULT '';

UPDATE campaign_principles SET sentence = CASE position
    WHEN 1 THEN 'Every person and every community is treated with dignity, whatever their origin, beliefs or language.'
    WHEN 2 THEN 'Everyone has a fair chance to learn, to work and to take part in the life of their city.'
    WHEN 3 THEN 'No one is shut out or met with suspicion for being different, newcomers included.'
    WHEN 4 THEN 'People have a say in the decisions that shape their lives, through their vote, their voice and their local organisations.'
END
WHERE campaign = 'call-to-action-for-leadership' AND position BETWEEN 1 AND 4 AND sentence = '';

-- Only the text as first seeded: a call edited since keeps its editor's words.
UPDATE campaigns SET why = 'At the Cities of Migration conference in October 2010, Wim Kok, Prime Minister of the Netherlands from 1994 to 2002, stressed the essential role that political leadership must play to build more cohesive societies.

He warned of the rise of populist movements all over Europe that provoke suspicion against migrants, and closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.'
WHERE slug = 'call-to-action-for-leadership'
  AND why = 'His intervention stressed the essential role that political leadership must play to build more cohesive societies.

Wim Kok closed his remarks by calling to action to stakeholders and global cities to build shared societies at all levels, based on greater tolerance for differences and good citizenship.';
