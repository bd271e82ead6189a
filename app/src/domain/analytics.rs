//! What a page view counts against. Only the site's own routes are counted, and the parts of
//! an address that identify someone (a confirmation token, a pledge reference) are replaced
//! by the route's name for them, so the counts can never hold anything personal.

use super::Slug;

/// The longest address counted; longer ones are certainly not pages of ours.
const MAX_PATH: usize = 200;

/// The path a view of `path` is counted under, or `None` if it is not a page of the site.
pub fn counted_path(path: &str) -> Option<String> {
    if path.len() > MAX_PATH || !path.starts_with('/') {
        return None;
    }
    let trimmed = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
    let counted = match segments.as_slice() {
        [""] => "/",
        ["news" | "members" | "search" | "take-action" | "donate" | "cookies"] => trimmed,
        ["take-action", "thanks"] => trimmed,
        ["news" | "members" | "resources", slug] | ["news", "tag", slug] => {
            Slug::parse(slug)?;
            trimmed
        }
        // Secrets and personal references: the route, never the value.
        ["take-action", "confirm", _] => "/take-action/confirm/:token",
        ["donate", "thanks", _] => "/donate/thanks/:reference",
        _ => return None,
    };
    Some(counted.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pages_of_the_site_count_as_themselves() {
        for path in [
            "/",
            "/news",
            "/news/a-call-to-action",
            "/news/tag/migration",
            "/members",
            "/members/wim-kok",
            "/search",
            "/resources/wim-kok-intervention",
            "/take-action",
            "/take-action/thanks",
            "/donate",
            "/cookies",
        ] {
            assert_eq!(counted_path(path).as_deref(), Some(path));
        }
        assert_eq!(counted_path("/news/").as_deref(), Some("/news"));
    }

    #[test]
    fn tokens_and_references_are_never_counted() {
        assert_eq!(
            counted_path("/take-action/confirm/Zm9vYmFyYmF6cXV4").as_deref(),
            Some("/take-action/confirm/:token")
        );
        assert_eq!(
            counted_path("/donate/thanks/SS-7K4Q-M2XD").as_deref(),
            Some("/donate/thanks/:reference")
        );
    }

    #[test]
    fn anything_else_is_not_counted() {
        for path in [
            "",
            "news",
            "//news",
            "/news/Not-A-Slug",
            "/news/a/b",
            "/news/<script>",
            "/admin",
            "/news?page=2",
            "https://example.org/",
            "/news/%2e%2e",
        ] {
            assert_eq!(counted_path(path), None, "{path}");
        }
        assert_eq!(counted_path(&format!("/news/{}", "a".repeat(500))), None);
    }

    proptest! {
        #[test]
        fn counted_paths_are_short_plain_and_from_the_site(path in ".{0,300}") {
            if let Some(counted) = counted_path(&path) {
                prop_assert!(counted.starts_with('/'));
                prop_assert!(counted.len() <= MAX_PATH);
                prop_assert!(counted.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"/-:".contains(&b)));
            }
        }
    }
}
