//! Site-wide settings the server knows and the browser needs too, as context for the
//! components. The server reads them from its settings; the values travel inside the
//! rendered page. An island has no context of the page around it in the browser, so an
//! island that needs one provides it itself.

use crate::site::PublicUrl;
use leptos::prelude::*;

/// Makes the public URL available to every component. The server reads it from its settings;
/// the value travels inside the rendered page, so the browser neither asks for it nor guesses
/// it from `location` (which would break hydration behind a proxy).
pub fn provide_public_url() {
    let shared = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            // No state while the route list is generated at startup: nothing to link then.
            use_context::<crate::server::state::AppState>()
                .map(|state| state.site.public_url.0.clone())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    });
    provide_context(PublicUrl(shared.into_inner()));
}

/// The site's public URL, or an empty base (relative links) if none was provided.
pub fn use_public_url() -> PublicUrl {
    use_context::<PublicUrl>().unwrap_or_default()
}

/// Makes the donation settings (currencies offered, limits) available to every component,
/// carried inside the rendered page like the public URL.
pub fn provide_donation_settings() {
    let shared = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<crate::server::state::AppState>()
                .map(|state| state.site.donation.clone())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            crate::domain::pledge::DonationSettings::default()
        }
    });
    provide_context(shared.into_inner());
}

/// The donation settings, or the defaults if none were provided.
pub fn use_donation_settings() -> crate::domain::pledge::DonationSettings {
    use_context::<crate::domain::pledge::DonationSettings>().unwrap_or_default()
}
