//! Sending mail: SMTP when configured, otherwise `.eml` files in a folder, so the site works
//! (and its tests read the mail) with no mail server at all.

use crate::config::Config;
use ammonia::clean_text;
use anyhow::Context;
use app::{
    domain::pledge::{BankDetails, Frequency},
    locale::{code, localized, money, Locale},
    server::{
        pledge_receipt::THANKS_PATH, pledges::PledgeMail, signups::ConfirmationMail,
        staff::PasswordMail, transfer_code::TransferAccount,
    },
};
use leptos_i18n::td_string;
use lettre::{
    message::{
        header::{ContentTransferEncoding, ContentType},
        Attachment, Body, Mailbox, MultiPart, SinglePart,
    },
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use std::time::Duration;

/// The site's mark, shown at the top of the HTML mail (the file link previews use too).
const LOGO_PNG: &[u8] = include_bytes!("../../public/logo.png");
/// The `Content-ID`s the HTML part refers to its pictures by.
const LOGO_ID: &str = "logo";
const TRANSFER_CODE_ID: &str = "transfer-code";

/// A body as quoted-printable, always: links read the same in every message (and tests read
/// them one way).
fn quoted_printable(text: String) -> anyhow::Result<Body> {
    Body::new_with_encoding(text, ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| anyhow::anyhow!("cannot encode the message"))
}

fn image_png() -> anyhow::Result<ContentType> {
    ContentType::parse("image/png").context("the PNG content type")
}

/// How long one SMTP exchange may take before it counts as failed (and is retried later).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
enum Transport {
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Composes and sends the site's messages.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    public_url: String,
    bank: BankDetails,
    /// The account as the pledge mail's QR code carries it; `None` for the placeholder.
    transfer_account: Option<TransferAccount>,
}

impl Mailer {
    /// # Errors
    /// When the sender address or the SMTP URL is malformed, or the mail folder cannot be made.
    pub fn from_config(
        config: &Config,
        public_url: &str,
        bank: BankDetails,
    ) -> anyhow::Result<Self> {
        let from = config
            .mail_from
            .parse::<Mailbox>()
            .with_context(|| format!("MAIL_FROM {:?} is not a mail address", config.mail_from))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid SMTP URL")?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&config.mail_dir).with_context(|| {
                    format!(
                        "cannot create the mail folder {}",
                        config.mail_dir.display()
                    )
                })?;
                Transport::Files(AsyncFileTransport::new(&config.mail_dir))
            }
        };
        Ok(Self {
            transport,
            from,
            public_url: public_url.to_owned(),
            transfer_account: TransferAccount::new(&bank),
            bank,
        })
    }

    /// The message asking a signer to confirm.
    ///
    /// # Errors
    /// When the stored address is not one lettre can send to.
    pub fn confirmation(&self, mail: &ConfirmationMail) -> anyhow::Result<Message> {
        // The address only, and no name in the text: what someone types in the form must not
        // become words the site mails to a stranger's address.
        let to = Mailbox::new(
            None,
            mail.email
                .parse()
                .context("the signer's address is not sendable")?,
        );
        let locale = mail.locale;
        let link = format!(
            "{}{}",
            self.public_url,
            localized(
                locale,
                &format!("/take-action/confirm/{}", mail.token.as_ref())
            )
        );
        let body = format!(
            "{hello}\n\n{thanks}\n\n{ask}\n\n{link}\n\n{expiry}\n\n{signature}\n",
            hello = td_string!(locale, mail.hello),
            thanks = td_string!(locale, mail.confirm.thanks, title = &mail.campaign_title),
            ask = td_string!(locale, mail.confirm.ask),
            expiry = td_string!(locale, mail.confirm.expiry),
            signature = td_string!(locale, mail.signature),
        );
        let body = quoted_printable(body)?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(td_string!(locale, mail.confirm.subject))
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(body),
            )
            .context("cannot build the confirmation message")
    }

    /// The link a staff member asked for to set a new password.
    ///
    /// # Errors
    /// When the stored address is not one lettre can send to.
    pub fn password_link(&self, mail: &PasswordMail) -> anyhow::Result<Message> {
        let to = Mailbox::new(
            None,
            mail.email
                .parse()
                .context("the staff member's address is not sendable")?,
        );
        let link = format!(
            "{}/staff/set-password/{}",
            self.public_url,
            mail.token.as_ref()
        );
        let body = format!(
            "Hello,\n\n\
             Someone asked for a new password for the Shared Societies staff workspace \
             account at this address. To set one, open this link:\n\n\
             {link}\n\n\
             The link works once, for one hour. If you did not ask for it, you can ignore \
             this message: your password stays as it is.\n\n\
             Shared Societies Project, WLA-CdM\n"
        );
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("A link to set your staff workspace password")
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(quoted_printable(body)?),
            )
            .context("cannot build the password message")
    }

    /// The bank-transfer instructions of a pledge.
    ///
    /// # Errors
    /// When the stored address is not one lettre can send to.
    pub fn pledge_instructions(&self, mail: &PledgeMail) -> anyhow::Result<Message> {
        let pledge = &mail.pledge;
        let locale = mail.locale;
        let amount = money(locale, &pledge.amount);
        let what = match pledge.frequency {
            Frequency::Once => td_string!(locale, mail.pledge.once, amount = &amount),
            Frequency::Monthly => td_string!(locale, mail.pledge.monthly, amount = &amount),
        };
        let monthly = if pledge.frequency == Frequency::Monthly {
            td_string!(locale, mail.pledge.standing_order)
        } else {
            ""
        };
        let page = format!(
            "{}{}",
            self.public_url,
            localized(locale, &format!("{THANKS_PATH}{}", pledge.reference))
        );
        // The details as a little table of plain text, its values in one column.
        let rows = [
            (
                td_string!(locale, mail.pledge.reference),
                pledge.reference.as_str(),
            ),
            (
                td_string!(locale, mail.pledge.holder),
                self.bank.holder.as_str(),
            ),
            (
                td_string!(locale, mail.pledge.iban),
                self.bank.iban.as_str(),
            ),
            (td_string!(locale, mail.pledge.amount), what.as_str()),
        ];
        let width = rows
            .iter()
            .map(|(name, _)| name.chars().count())
            .max()
            .unwrap_or(0)
            + 2;
        let table: String = rows
            .iter()
            .map(|(name, value)| format!("{:<width$}{value}\n", format!("{name}:")))
            .collect();
        let monthly_text = if monthly.is_empty() {
            String::new()
        } else {
            format!("{monthly}\n\n")
        };
        let body = format!(
            "{hello}\n\n{thanks}\n\n{transfer}\n\n{table}\n{monthly_text}{page_text}\n\n{signature}\n",
            hello = td_string!(locale, mail.hello),
            thanks = td_string!(locale, mail.pledge.thanks, what = &what),
            transfer = td_string!(locale, mail.pledge.transfer),
            page_text = td_string!(locale, mail.pledge.page_text, page = &page),
            signature = td_string!(locale, mail.signature),
        );
        let subject = td_string!(locale, mail.pledge.subject, reference = &pledge.reference);
        let to = Mailbox::new(
            None,
            mail.email.parse().context("the address is not sendable")?,
        );
        let text = quoted_printable(body)?;
        // The same words as HTML, for mail programs that show it: the logo, and the QR code a
        // banking app scans (PNG: mail programs do not show SVG), when the account has one.
        let code = self.transfer_account.as_ref().and_then(|account| {
            app::server::transfer_code::png(account, &pledge.amount, &pledge.reference)
        });
        let html = quoted_printable(self.pledge_html(
            locale,
            &what,
            &pledge.reference,
            &page,
            code.is_some(),
            monthly,
        ))?;
        let mut related = MultiPart::related()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html),
            )
            .singlepart(
                Attachment::new_inline(LOGO_ID.to_owned()).body(LOGO_PNG.to_vec(), image_png()?),
            );
        if let Some(code) = code {
            related = related.singlepart(
                Attachment::new_inline(TRANSFER_CODE_ID.to_owned()).body(code, image_png()?),
            );
        }
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text),
                    )
                    .multipart(related),
            )
            .context("cannot build the message")
    }

    /// The instructions as a small HTML page: one table, inline styles (mail programs drop
    /// style sheets), every value escaped.
    fn pledge_html(
        &self,
        locale: Locale,
        what: &str,
        reference: &str,
        page: &str,
        with_code: bool,
        monthly: &str,
    ) -> String {
        let row = |name: &str, value: &str, mono: bool| {
            let face = if mono {
                "font-family:monospace;white-space:nowrap;"
            } else {
                ""
            };
            format!(
                "<tr><th align=\"left\" style=\"padding:4px 16px 4px 0;\">{name}</th>\
                 <td style=\"padding:4px 0;{face}\">{}</td></tr>",
                clean_text(value)
            )
        };
        let qr_code = if with_code {
            format!(
                "<p><img src=\"cid:{TRANSFER_CODE_ID}\" width=\"180\" height=\"180\" \
                 alt=\"{alt}\"></p><p style=\"color:#4a5a66;\">{hint}</p>",
                alt = clean_text(td_string!(locale, mail.pledge.qr_alt)),
                hint = clean_text(td_string!(locale, mail.pledge.qr_hint)),
            )
        } else {
            String::new()
        };
        let monthly = if monthly.is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>", clean_text(monthly.trim()))
        };
        format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><body style=\"margin:0;padding:24px;\
             font-family:system-ui,Arial,sans-serif;color:#1d2a33;background:#fbfaf7;\">\
             <p><img src=\"cid:{LOGO_ID}\" width=\"48\" height=\"48\" alt=\"Shared Societies\"></p>\
             <p>{hello}</p><p>{thanks}</p><p>{transfer}</p>\
             <table role=\"presentation\" style=\"border-collapse:collapse;\">{rows}</table>\
             {qr_code}{monthly}\
             <p>{before} <a href=\"{href}\">{link}</a>.</p>\
             <p>{signature}</p></body></html>",
            lang = code(locale),
            hello = clean_text(td_string!(locale, mail.hello)),
            thanks = td_string!(
                locale,
                mail.pledge.thanks,
                what = format!("<strong>{}</strong>", clean_text(what))
            ),
            transfer = clean_text(td_string!(locale, mail.pledge.transfer)),
            before = clean_text(td_string!(locale, mail.pledge.page_html_before)),
            link = clean_text(td_string!(locale, mail.pledge.page_html_link)),
            signature = clean_text(td_string!(locale, mail.signature)),
            rows = [
                row(td_string!(locale, mail.pledge.reference), reference, true),
                row(
                    td_string!(locale, mail.pledge.holder),
                    &self.bank.holder,
                    false
                ),
                row(td_string!(locale, mail.pledge.iban), &self.bank.iban, true),
                row(td_string!(locale, mail.pledge.amount), what, false),
            ]
            .concat(),
            href = clean_text(page),
        )
    }

    /// # Errors
    /// When the transport refuses the message (SMTP down, disk full, …).
    pub async fn send(&self, message: Message) -> anyhow::Result<()> {
        match &self.transport {
            Transport::Files(files) => {
                files
                    .send(message)
                    .await
                    .context("cannot write the message")?;
            }
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .context("the SMTP server refused the message")?;
            }
        }
        Ok(())
    }
}
