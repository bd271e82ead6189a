//! Sending mail: SMTP when configured, otherwise `.eml` files in a folder, so the site works
//! (and its tests read the mail) with no mail server at all.

use crate::config::Config;
use anyhow::Context;
use app::{
    domain::pledge::{BankDetails, Frequency},
    server::{pledges::PledgeMail, signups::ConfirmationMail},
};
use lettre::{
    message::{
        header::{ContentTransferEncoding, ContentType},
        Body, Mailbox, SinglePart,
    },
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use std::time::Duration;

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
}

impl Mailer {
    /// # Errors
    /// When the sender address or the SMTP URL is malformed, or the mail folder cannot be made.
    pub fn from_config(config: &Config, public_url: &str) -> anyhow::Result<Self> {
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
            bank: BankDetails {
                holder: config.donation_holder.clone(),
                iban: config.donation_iban.clone(),
            },
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
        // Quoted-printable always, so the link reads the same in every message (and tests
        // read it one way).
        let body = Body::new_with_encoding(body, ContentTransferEncoding::QuotedPrintable)
            .map_err(|_| anyhow::anyhow!("cannot encode the confirmation message"))?;
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
        let body = format!(
            "Hello,\n\n\
             Thank you for your pledge of {what} to WLA-CdM.\n\n\
             Please transfer it to this account, quoting your reference:\n\n\
             Reference:      {reference}\n\
             Account holder: {holder}\n\
             IBAN:           {iban}\n\
             Amount:         {what}\n\n\
             {monthly}\
             The same details are on this page: {url}/donate/thanks/{reference}\n\n\
             Shared Societies Project, WLA-CdM\n",
            reference = pledge.reference,
            holder = self.bank.holder,
            iban = self.bank.iban,
            url = self.public_url,
        );
        self.plain_text(
            &mail.email,
            &format!("Your pledge {}: how to transfer it", pledge.reference),
            body,
        )
    }

    fn plain_text(&self, to: &str, subject: &str, body: String) -> anyhow::Result<Message> {
        let to = Mailbox::new(None, to.parse().context("the address is not sendable")?);
        let body = Body::new_with_encoding(body, ContentTransferEncoding::QuotedPrintable)
            .map_err(|_| anyhow::anyhow!("cannot encode the message"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(body),
            )
            .context("cannot build the message")
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
