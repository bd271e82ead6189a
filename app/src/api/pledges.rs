use super::error::{AppError, FormError};
use crate::domain::pledge::{DonationTotals, PledgeError, PledgeForm, PledgeReceipt, PledgeView};
use leptos::prelude::*;

/// Pledges a donation.
///
/// The same form sent again (same idempotency key) returns the first pledge and stores
/// nothing. A plain form post is redirected to `/donate/thanks/{reference}`, or back to the
/// page it came from with the errors. Either way the browser gets the cookie that shows it
/// that page in full for an hour.
///
/// # Errors
/// [`FormError::Invalid`] with a message per wrong field (422 to a script);
/// [`FormError::Unavailable`] when the pledge could not be stored (503).
#[server(endpoint = "pledge")]
pub async fn pledge_donation(form: PledgeForm) -> Result<PledgeReceipt, FormError<PledgeError>> {
    use crate::{
        domain::{
            language::{from_code, localized, Locale},
            money::{Currency, Money},
            pledge::{Frequency, PledgeStatus, PledgeSubmission},
        },
        server::{pledge_receipt, pledges},
    };
    use leptos::server_fn::ServerFn;

    let locale = from_code(form.lang.trim()).unwrap_or(Locale::en_GB);
    let result = async {
        let state = super::error::app_state().map_err(|_| FormError::Unavailable)?;
        let pledge = match form.parse(&state.site.donation) {
            Ok(PledgeSubmission::Pledge(pledge)) => pledge,
            Ok(PledgeSubmission::Bot) => {
                tracing::info!("pledge form: honeypot filled, nothing stored");
                // Thanked like anyone, with a reference that leads nowhere.
                let currency = Currency::find("EUR").ok_or(FormError::Unavailable)?;
                return Ok(receipt(
                    &state.site,
                    "SS-0000-0000".to_owned(),
                    Money {
                        minor: 2500,
                        currency,
                    },
                    Frequency::Once,
                    PledgeStatus::Pledged,
                ));
            }
            Err(errors) => return Err(FormError::Invalid { errors }),
        };
        let recorded = pledges::record_pledge(&state.pool, &pledge)
            .await
            .map_err(|error| {
                tracing::error!(%error, "storing a pledge");
                FormError::Unavailable
            })?;
        let (stored, new) = match recorded {
            pledges::PledgeRecorded::New(stored) => (stored, true),
            pledges::PledgeRecorded::Again(stored) => (stored, false),
            pledges::PledgeRecorded::KeyReused => {
                tracing::warn!("pledge form: a used key with other content");
                return Err(FormError::Invalid {
                    errors: vec![PledgeError::IdempotencyKey],
                });
            }
        };
        // The row's id, not the reference: the reference is what a stranger would need to
        // look the pledge up, and log lines travel further than the database.
        tracing::info!(pledge = stored.id, new, "pledge answered");
        if new {
            state.mail_queued.notify_one();
        }
        pledge_receipt::remember(
            &state.site.receipt_key,
            &state.site.public_url,
            &stored.reference,
        );
        Ok(receipt(
            &state.site,
            stored.reference,
            stored.amount,
            stored.frequency,
            stored.status,
        ))
    }
    .await;

    super::form::answer(
        &result,
        <PledgeDonation as ServerFn>::PATH,
        &localized(locale, "/donate"),
        || form.for_echo(),
        |receipt| {
            localized(
                locale,
                &format!("{}{}", pledge_receipt::THANKS_PATH, receipt.reference),
            )
        },
    );
    result
}

/// What the page of `reference` shows: the receipt and where to send the money to the browser
/// that made the pledge (it carries the cookie [`pledge_donation`] set), only that the pledge
/// exists to anyone else; `None` for a reference no pledge has.
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_pledge(reference: String) -> Result<Option<PledgeView>, AppError> {
    use crate::{
        domain::language::split_path,
        server::{pledge_receipt, pledges},
    };
    use axum::http::request::Parts;

    let valid = reference.len() == 12
        && reference.starts_with("SS-")
        && reference
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Ok(None);
    }
    let state = super::error::app_state()?;
    let Some(pledge) = pledges::pledge_by_reference(&state.pool, &reference)
        .await
        .map_err(super::error::unavailable("loading a pledge"))?
    else {
        return Ok(None);
    };
    // Only while rendering the pledge's own page, the one path its cookie is kept for: called
    // as an endpoint, this answers no more than to a stranger, cookie or not.
    let own = use_context::<Parts>().is_some_and(|parts| {
        split_path(parts.uri.path())
            .1
            .strip_prefix(pledge_receipt::THANKS_PATH)
            == Some(pledge.reference.as_str())
            && pledge_receipt::is_pledger(
                &parts.headers,
                &state.site.receipt_key,
                &pledge.reference,
            )
    });
    if !own {
        return Ok(Some(PledgeView::Exists {
            reference: pledge.reference,
        }));
    }
    Ok(Some(PledgeView::Own(receipt(
        &state.site,
        pledge.reference,
        pledge.amount,
        pledge.frequency,
        pledge.status,
    ))))
}

/// A pledge as its donor is shown it: while it is still to be paid, where to send the money
/// and the code a banking app scans to fill the transfer in.
#[cfg(feature = "ssr")]
fn receipt(
    site: &crate::server::state::SiteSettings,
    reference: String,
    amount: crate::domain::money::Money,
    frequency: crate::domain::pledge::Frequency,
    status: crate::domain::pledge::PledgeStatus,
) -> PledgeReceipt {
    let to_pay = status == crate::domain::pledge::PledgeStatus::Pledged;
    let transfer_code = site
        .transfer_account
        .as_ref()
        .filter(|_| to_pay)
        .and_then(|account| crate::server::transfer_code::svg(account, &amount, &reference));
    PledgeReceipt {
        bank: to_pay.then(|| site.bank.clone()),
        transfer_code,
        reference,
        amount,
        frequency,
        status,
    }
}

/// Money received so far (received pledges only).
///
/// # Errors
/// [`AppError::Unavailable`] when the database cannot answer.
#[server]
pub async fn get_donation_totals() -> Result<DonationTotals, AppError> {
    use crate::server::pledges;
    let state = super::error::app_state()?;
    pledges::totals(&state.pool)
        .await
        .map_err(super::error::unavailable("adding up donations"))
}
