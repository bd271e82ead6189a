//! Sending mail: SMTP when configured, otherwise `.eml` files in a folder, so the site works
//! (and its tests read the mail) with no mail server at all.

use crate::config::Config;
use ammonia::clean_text;
use anyhow::Context;
use app::{
    domain::pledge::{BankDetails, Frequency},
    server::{
        pledge_receipt::THANKS_PATH, pledges::PledgeMail, signups::ConfirmationMail,
        staff::PasswordMail, transfer_code::TransferAccount,
    },
};
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
        let link = format!(
            "{}/take-action/confirm/{}",
            self.public_url,
            mail.token.as_ref()
        );
        let body = format!(
            "Hello,\n\n\
             Thank you for signing the {title}.\n\n\
             Please confirm your signature: open this link and press the button on the page.\n\n\
             {link}\n\n\
             The link works for 7 days. If you did not sign, you can ignore this message: a \
             signature that is not confirmed is deleted after 7 days.\n\n\
             Shared Societies Project, WLA-CdM\n",
            title = mail.campaign_title,
        );
        let body = quoted_printable(body)?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("Please confirm your signature")
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
        let what = match pledge.frequency {
            Frequency::Once => format!("{} once", pledge.amount.display()),
            Frequency::Monthly => format!("{} every month", pledge.amount.display()),
        };
        let monthly = if pledge.frequency == Frequency::Monthly {
            "For a monthly gift, please set up a standing order with your bank, with the same \
             reference.\n\n"
        } else {
            ""
        };
        let page = format!("{}{THANKS_PATH}{}", self.public_url, pledge.reference);
        let body = format!(
            "Hello,\n\n\
             Thank you for your pledge of {what} to WLA-CdM.\n\n\
             Please transfer it to this account, quoting your reference:\n\n\
             Reference:      {reference}\n\
             Account holder: {holder}\n\
             IBAN:           {iban}\n\
             Amount:         {what}\n\n\
             {monthly}\
             The same details are on this page: {page}\n\n\
             Shared Societies Project, WLA-CdM\n",
            reference = pledge.reference,
            holder = self.bank.holder,
            iban = self.bank.iban,
        );
        let subject = format!("Your pledge {}: how to transfer it", pledge.reference);
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
        let code = if with_code {
            format!(
                "<p><img src=\"cid:{TRANSFER_CODE_ID}\" width=\"180\" height=\"180\" \
                 alt=\"QR code of this transfer\"></p>\
                 <p style=\"color:#4a5a66;\">Paying from a banking app? Scan this code: it fills in \
                 the account, the amount and your reference.</p>"
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
            "<!DOCTYPE html><html lang=\"en\"><body style=\"margin:0;padding:24px;\
             font-family:system-ui,Arial,sans-serif;color:#1d2a33;background:#fbfaf7;\">\
             <p><img src=\"cid:{LOGO_ID}\" width=\"48\" height=\"48\" alt=\"Shared Societies\"></p>\
             <p>Hello,</p>\
             <p>Thank you for your pledge of <strong>{what}</strong> to WLA-CdM.</p>\
             <p>Please transfer it to this account, quoting your reference:</p>\
             <table role=\"presentation\" style=\"border-collapse:collapse;\">{rows}</table>\
             {code}{monthly}\
             <p>The same details are on <a href=\"{href}\">your pledge's page</a>.</p>\
             <p>Shared Societies Project, WLA-CdM</p></body></html>",
            what = clean_text(what),
            rows = [
                row("Reference", reference, true),
                row("Account holder", &self.bank.holder, false),
                row("IBAN", &self.bank.iban, true),
                row("Amount", what, false),
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
