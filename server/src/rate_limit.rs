//! Per-client limits: a burst, then a sustained rate (GCRA, from `governor`).
//! Forms (signing, confirming, pledging) get the tight limit; the consent proof and the
//! page-view counter, which a reader's browsing sends, a looser one. Two reads are limited
//! too: a pledge's page (`/donate/thanks/…`, and the server function behind it), where each
//! request is a guess at a reference, as tightly as the forms; searches, which cost the
//! database far more than a page, as loosely as the counter. Each has an allowance of its
//! own, so searching never uses up a client's forms. The client is the peer address, or
//! behind a configured proxy the last hop that proxy saw, so a made-up `X-Forwarded-For`
//! cannot buy a fresh allowance.

use crate::protect::{plain_page, request_locale, wants_html};
use app::locale::Locale;
use app::server::{http::ClientAddress, pledge_receipt::THANKS_PATH};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    clock::{Clock, DefaultClock},
    DefaultKeyedRateLimiter, Quota, RateLimiter,
};
use leptos::server_fn::ServerFn;
use leptos_i18n::td_string;
use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    num::NonZeroU32,
    sync::Arc,
    time::Duration,
};

/// How many requests a client may make at once, and per minute after that.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub burst: NonZeroU32,
    pub per_minute: NonZeroU32,
}

impl Limit {
    fn quota(self) -> Quota {
        Quota::per_minute(self.per_minute).allow_burst(self.burst)
    }

    /// The same limit times `factor`.
    pub fn times(self, factor: NonZeroU32) -> Self {
        Self {
            burst: self.burst.saturating_mul(factor),
            per_minute: self.per_minute.saturating_mul(factor),
        }
    }
}

type Limiter = DefaultKeyedRateLimiter<IpAddr>;

pub struct ClientLimits {
    forms: Limiter,
    telemetry: Limiter,
    pledge_pages: Limiter,
    searches: Limiter,
    trusted_proxies: Vec<IpAddr>,
}

/// What a limited request was, for the words of its refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asked {
    Form,
    Page,
}

impl ClientLimits {
    /// `forms` for the forms and pledge pages, `telemetry` for the consent proof, the
    /// page-view counter and searches.
    pub fn new(forms: Limit, telemetry: Limit, trusted_proxies: Vec<IpAddr>) -> Arc<Self> {
        Arc::new(Self {
            forms: RateLimiter::keyed(forms.quota()),
            telemetry: RateLimiter::keyed(telemetry.quota()),
            pledge_pages: RateLimiter::keyed(forms.quota()),
            searches: RateLimiter::keyed(telemetry.quota()),
            trusted_proxies,
        })
    }

    /// Forgets clients whose allowance is full again, so the tables do not grow for ever.
    pub async fn forget_idle_clients(self: Arc<Self>) {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            for limiter in [
                &self.forms,
                &self.telemetry,
                &self.pledge_pages,
                &self.searches,
            ] {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
    }

    fn limiter_for(&self, uri: &Uri) -> Option<(&Limiter, Asked)> {
        use app::api::{consent, content, pledges, signups, staff};
        let path = uri.path();
        if [
            signups::SignCall::PATH,
            signups::ConfirmSignature::PATH,
            pledges::PledgeDonation::PATH,
            staff::StaffLogin::PATH,
            staff::SetStaffPassword::PATH,
            staff::ForgotStaffPassword::PATH,
        ]
        .contains(&path)
        {
            Some((&self.forms, Asked::Form))
        } else if [consent::RecordConsent::PATH, consent::CountPageView::PATH].contains(&path) {
            Some((&self.telemetry, Asked::Form))
        } else if path.starts_with(THANKS_PATH) || path == pledges::GetPledge::PATH {
            Some((&self.pledge_pages, Asked::Page))
        } else if path == content::SearchPosts::PATH
            || (path == "/search" && uri.query().is_some_and(|query| !query.is_empty()))
        {
            // The empty search page is only a form; a query, or the server function the
            // page's script calls, runs the full-text search.
            Some((&self.searches, Asked::Page))
        } else {
            None
        }
    }
}

/// Answers 429 with `Retry-After` once a client has used its allowance for what it asks.
pub async fn limit_clients(
    State(limits): State<Arc<ClientLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let Some((limiter, asked)) = limits.limiter_for(request.uri()) else {
        return next.run(request).await;
    };
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let Some(peer) = peer else {
        // Only a server built without connection info gets here (never the real one).
        return next.run(request).await;
    };
    let client = client_key(client_ip(peer, request.headers(), &limits.trusted_proxies));
    match limiter.check_key(&client) {
        Ok(()) => {
            // What the handler may record (a failed login's client), as counted here.
            let mut request = request;
            request.extensions_mut().insert(ClientAddress(client));
            next.run(request).await
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            // Debug only, and without the path (a pledge's page names its reference): a flood
            // would otherwise write a line per refused request.
            tracing::debug!(%client, seconds, ?asked, "rate limit reached");
            let locale = request_locale(request.uri(), request.headers());
            too_many(request.headers(), locale, asked, seconds.max(1))
        }
    }
}

fn too_many(headers: &HeaderMap, locale: Locale, asked: Asked, seconds: u64) -> Response {
    let mut response = if wants_html(headers) {
        let message = match asked {
            Asked::Form => td_string!(locale, common.plain.wait_form, seconds).to_string(),
            Asked::Page => td_string!(locale, common.plain.wait_page, seconds).to_string(),
        };
        plain_page(
            StatusCode::TOO_MANY_REQUESTS,
            locale,
            td_string!(locale, common.plain.wait_title),
            &message,
            None,
        )
    } else {
        // What the page's script reads as "try again in a moment" for every form's error type.
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "application/json")],
            "\"Unavailable\"",
        )
            .into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The address of the client: the peer, unless the peer is one of our proxies, in which case
/// the nearest hop in `X-Forwarded-For` that is not one of them. Hops further left were
/// written by the client itself and prove nothing.
fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    // A dual-stack socket shows an IPv4 proxy as `::ffff:a.b.c.d`.
    let peer = peer.to_canonical();
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        match hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
            Ok(ip) if trusted_proxies.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => break,
        }
    }
    peer
}

/// One key per IPv4 address, and per /64 for IPv6: one household or server gets a whole /64,
/// so its addresses are one client.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                IpAddr::V6(Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn without_a_trusted_proxy_the_peer_is_the_client() {
        let peer = ip("203.0.113.7");
        assert_eq!(client_ip(peer, &forwarded("198.51.100.1"), &[]), peer);
    }

    #[test]
    fn behind_a_proxy_the_last_untrusted_hop_is_the_client() {
        let proxy = ip("10.0.0.2");
        let headers = forwarded("1.2.3.4, 198.51.100.9, 10.0.0.3");
        assert_eq!(
            client_ip(proxy, &headers, &[proxy, ip("10.0.0.3")]),
            ip("198.51.100.9"),
            "what the client wrote itself (1.2.3.4) does not count"
        );
        assert_eq!(client_ip(proxy, &forwarded("junk"), &[proxy]), proxy);
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.2"), &headers, &[proxy, ip("10.0.0.3")]),
            ip("198.51.100.9"),
            "an IPv4 proxy seen through a dual-stack socket is still the proxy"
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1")),
            client_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
