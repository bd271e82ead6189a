//! Schema.org descriptions of posts and members, as JSON-LD for search engines.

use crate::{
    domain::{MemberProfile, Post},
    site::{PublicUrl, LOGO_PATH, LOGO_SIZE, ORGANISATION, SITE_NAME},
};
use serde_json::{json, Value};

/// A post as a `NewsArticle`, published by the site with its logo.
pub fn news_article(post: &Post, public_url: &PublicUrl) -> String {
    let url = public_url.join(&post.href());
    let image = post.image.as_deref().map_or_else(
        || public_url.join(LOGO_PATH),
        |image| public_url.absolute(image),
    );
    let mentions: Vec<Value> = post
        .members
        .iter()
        .map(|member| {
            json!({
                "@type": "Person",
                "name": member.name,
                "jobTitle": member.role,
                "url": public_url.join(&member.href()),
            })
        })
        .collect();
    script_json(&json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "description": post.summary,
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "datePublished": post.published_on.iso(),
        "dateModified": post.modified_on().iso(),
        "image": [image],
        "inLanguage": "en",
        "isAccessibleForFree": true,
        "keywords": post.tags.iter().map(|tag| tag.name.as_str()).collect::<Vec<_>>(),
        "author": organisation(public_url),
        "publisher": organisation(public_url),
        "mentions": mentions,
    }))
}

/// A member as a `Person`.
pub fn person(profile: &MemberProfile, public_url: &PublicUrl) -> String {
    script_json(&json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": profile.member.name,
        "jobTitle": profile.member.role,
        "description": profile.bio,
        "url": public_url.join(&profile.member.href()),
        "memberOf": { "@type": "Organization", "name": ORGANISATION },
    }))
}

fn organisation(public_url: &PublicUrl) -> Value {
    json!({
        "@type": "Organization",
        "name": format!("{SITE_NAME} ({ORGANISATION})"),
        "url": public_url.join("/"),
        "logo": {
            "@type": "ImageObject",
            "url": public_url.join(LOGO_PATH),
            "width": LOGO_SIZE,
            "height": LOGO_SIZE,
        },
    })
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` only ever appear inside
/// strings, where their `\u` escapes mean the same, so nothing can close the element or open
/// a comment.
pub fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_cannot_close_the_script() {
        let json = script_json(&json!({ "headline": "</script><script>alert(1)</script> & <!--" }));
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(
            back["headline"],
            "</script><script>alert(1)</script> & <!--"
        );
    }
}
