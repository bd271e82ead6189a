//! The SEPA transfer QR code ("EPC QR", sold by banks as GiroCode or "pay by QR"): a donor
//! scans it with their banking app and finds the transfer filled in — account, holder,
//! amount and our reference — instead of typing 24 characters of IBAN on a phone.
//!
//! The layout is the European Payments Council's EPC069-12, version 002: one value per line,
//! UTF-8, at most 331 bytes, error correction level M.

use crate::domain::{money::Money, pledge::BankDetails};
use iban::{Iban, IbanLike, ParseIbanError};
use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// The longest beneficiary name the standard allows.
const MAX_HOLDER: usize = 70;
/// The longest unstructured remittance text the standard allows.
const MAX_REMITTANCE: usize = 140;
/// The largest amount the standard allows, in cents (999,999,999.99).
const MAX_CENTS: u64 = 99_999_999_999;

/// `raw` as banks print an IBAN ("ES91 2100 0418 …"), or why it is not one (its checksum
/// included): a typo in the configured account must stop the server, not reach donors.
///
/// # Errors
/// What is wrong with `raw`, in the validating crate's words.
pub fn checked_iban(raw: &str) -> Result<String, ParseIbanError> {
    raw.trim().parse::<Iban>().map(|iban| iban.to_string())
}

/// Whether `text` is one line of 1 to `max` characters: what each of the code's text fields
/// must be, and so what the configured account holder must be.
pub fn is_one_line(text: &str, max: usize) -> bool {
    !text.is_empty() && text.chars().count() <= max && !text.chars().any(char::is_control)
}

/// Whether `holder` can be the beneficiary's name in a code.
pub fn is_valid_holder(holder: &str) -> bool {
    is_one_line(holder, MAX_HOLDER)
}

/// The account as a code carries it, checked once when the server starts; every pledge's
/// code is then only encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferAccount {
    holder: String,
    /// The electronic form, without spaces.
    iban: String,
}

impl TransferAccount {
    /// `None` for an account no code can carry: an IBAN that fails its checksum (the
    /// placeholder account does) or a holder the standard does not allow.
    pub fn new(bank: &BankDetails) -> Option<Self> {
        let iban = bank.iban.parse::<Iban>().ok()?;
        let holder = bank.holder.trim();
        is_valid_holder(holder).then(|| Self {
            holder: holder.to_owned(),
            iban: iban.electronic_str().to_owned(),
        })
    }
}

/// The code's text, or `None` when the pledge cannot go in it: a currency other than the euro
/// (the standard is for SEPA credit transfers), or a reference or amount outside its limits.
pub fn payload(account: &TransferAccount, amount: &Money, reference: &str) -> Option<String> {
    if amount.currency.code != "EUR" || amount.currency.exponent != 2 {
        return None;
    }
    if amount.minor == 0 || amount.minor > MAX_CENTS || !is_one_line(reference, MAX_REMITTANCE) {
        return None;
    }
    // Service tag, version, UTF-8, SEPA credit transfer, no BIC (optional within the EEA
    // since 2016), name, account, amount, no purpose code, no structured creditor reference
    // (ours is not an ISO 11649 "RF" one), then ours as the free text the bank shows.
    Some(format!(
        "BCD\n002\n1\nSCT\n\n{holder}\n{iban}\nEUR{units}.{cents:02}\n\n\n{reference}",
        holder = account.holder,
        iban = account.iban,
        units = amount.minor / 100,
        cents = amount.minor % 100,
    ))
}

/// Pixels per module in the PNG, and the quiet zone around the code in modules (the four the
/// QR standard asks for): a pledge's code (33 modules) becomes 246 px square.
const PNG_SCALE: usize = 6;
const QUIET_ZONE: usize = 4;

fn code(account: &TransferAccount, amount: &Money, reference: &str) -> Option<QrCode> {
    let payload = payload(account, amount, reference)?;
    QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()
}

/// The code as inline SVG markup (no XML declaration, one unit per module, sized by CSS), or
/// `None` whenever [`payload`] is. Each run of dark modules in a row is one rectangle: about
/// 3 KB instead of the 8 KB a square per module makes.
pub fn svg(account: &TransferAccount, amount: &Money, reference: &str) -> Option<String> {
    let code = code(account, amount, reference)?;
    let modules = code.width();
    let side = modules + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(modules).enumerate() {
        let mut x = 0;
        while x < modules {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - start;
            let _ = write!(
                path,
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// The code as a greyscale PNG, for mail (mail programs do not show SVG), or `None` whenever
/// [`payload`] is.
pub fn png(account: &TransferAccount, amount: &Money, reference: &str) -> Option<Vec<u8>> {
    let code = code(account, amount, reference)?;
    let modules = code.width();
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![u8::MAX; side * side];
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color != Color::Dark {
            continue;
        }
        let left = (index % modules + QUIET_ZONE) * PNG_SCALE;
        let top = (index / modules + QUIET_ZONE) * PNG_SCALE;
        for row in top..top + PNG_SCALE {
            let start = row * side + left;
            pixels[start..start + PNG_SCALE].fill(0);
        }
    }
    let side = u32::try_from(side).ok()?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn bank(iban: &str) -> BankDetails {
        BankDetails {
            holder: "WLA-CdM".to_owned(),
            iban: iban.to_owned(),
        }
    }

    fn euros(minor: u64) -> Money {
        Money {
            minor,
            currency: Currency::find("EUR").expect("the euro is offered"),
        }
    }

    // A published example account (checksum valid, not a real donor's).
    const GOOD: &str = "ES91 2100 0418 4502 0005 1332";

    fn good() -> TransferAccount {
        TransferAccount::new(&bank(GOOD)).expect("a valid account")
    }

    #[test]
    fn the_payload_follows_the_epc_layout() {
        let text = payload(&good(), &euros(2550), "SS-8DAM-BS4R").expect("valid values");
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(
            lines,
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "",
                "WLA-CdM",
                "ES9121000418450200051332",
                "EUR25.50",
                "",
                "",
                "SS-8DAM-BS4R"
            ]
        );
        assert!(text.len() <= 331);
    }

    #[test]
    fn no_code_for_the_placeholder_account_or_a_bad_checksum() {
        assert_eq!(
            TransferAccount::new(&bank("ES00 0000 0000 0000 0000 0000")),
            None
        );
        assert_eq!(
            TransferAccount::new(&bank("ES92 2100 0418 4502 0005 1332")),
            None
        );
    }

    #[test]
    fn no_code_outside_the_limits() {
        let dollars = Money {
            minor: 2500,
            currency: Currency::find("USD").expect("the dollar is known"),
        };
        assert_eq!(payload(&good(), &dollars, "SS-1"), None);
        assert_eq!(payload(&good(), &euros(0), "SS-1"), None);
        assert_eq!(payload(&good(), &euros(MAX_CENTS + 1), "SS-1"), None);
        assert_eq!(payload(&good(), &euros(100), "SS-1\nBCD"), None);
        let long_holder = BankDetails {
            holder: "x".repeat(MAX_HOLDER + 1),
            iban: GOOD.to_owned(),
        };
        assert_eq!(TransferAccount::new(&long_holder), None);
    }

    #[test]
    fn the_svg_is_inline_markup_with_a_square_view_box() {
        let markup = svg(&good(), &euros(10_000), "SS-8DAM-BS4R").expect("valid values");
        assert!(markup.starts_with("<svg"), "{markup:.60}");
        let side = code(&good(), &euros(10_000), "SS-8DAM-BS4R")
            .expect("a code")
            .width()
            + 2 * QUIET_ZONE;
        assert!(markup.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        assert!(markup.ends_with("</svg>"));
        // The finder pattern's top row: seven dark modules in one run, inside the quiet zone.
        assert!(markup.contains(&format!("M{QUIET_ZONE} {QUIET_ZONE}h7v1h-7z")));
    }

    #[test]
    fn the_png_is_a_square_image_with_a_quiet_zone() {
        let image = png(&good(), &euros(2500), "SS-8DAM-BS4R").expect("valid values");
        let decoder = png::Decoder::new(std::io::Cursor::new(image));
        let mut reader = decoder.read_info().expect("a PNG");
        let (width, height) = (reader.info().width, reader.info().height);
        assert_eq!(width, height);
        assert_eq!(width as usize % PNG_SCALE, 0);
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        reader.next_frame(&mut pixels).expect("decodes");
        // The corner is the quiet zone (white); a finder pattern's corner is dark.
        assert_eq!(pixels[0], u8::MAX);
        let finder = QUIET_ZONE * PNG_SCALE;
        assert_eq!(pixels[finder * width as usize + finder], 0);
    }

    #[test]
    fn a_configured_account_is_printed_in_groups_or_refused() {
        assert_eq!(
            checked_iban(" ES9121000418450200051332 ").as_deref(),
            Ok("ES91 2100 0418 4502 0005 1332")
        );
        assert!(checked_iban("ES92 2100 0418 4502 0005 1332").is_err());
        assert!(checked_iban("not an account").is_err());
    }
}
