//! Signing the call to action: the form as sent, and the signature it must parse into.

pub use super::email::{EmailAddress, EmailProblem, MAX_EMAIL};
pub use super::text::MAX_NAME;
use super::{
    countries::COUNTRIES,
    form::{keep, Choice, FieldCode},
    text::{cut, Line, LineProblem},
    PostSummary,
};
use crate::domain::language::{from_code, number, Locale};
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

/// The campaign `/take-action` collects signatures for.
pub const CALL_TO_ACTION: &str = "call-to-action-for-leadership";

/// The version of [`SIGNUP_CONSENT_TEXT`]. A signature records the version its signer saw;
/// change the text, bump this.
pub const SIGNUP_CONSENT_VERSION: u32 = 1;

/// What the signer agrees to, in English. The form shows it in the page's language, from
/// `forms.sign.consent` in `locales/*/forms.json` (a test keeps the English one equal to
/// this): change both languages, and the version, together.
pub const SIGNUP_CONSENT_TEXT: &str = "We use your name and email address only for this call to \
action: to confirm your signature and, if you ask us to, to show your name and to keep you \
informed. We never share them. A signature you do not confirm within 7 days is deleted, and you \
can ask us to remove a confirmed one at any time.";

/// Longest accepted lengths, in characters.
pub const MAX_ORGANISATION: usize = 150;
pub const MAX_ROLE: usize = 100;
const MAX_SOURCE: usize = 64;

/// The sign form exactly as a browser sends it (`form[full_name]=…`). Every field defaults to
/// empty, so a missing field becomes a message next to it rather than an unreadable request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub full_name: String,
    pub email: String,
    /// `person` or `organisation` (an organisation or a city).
    pub kind: String,
    pub organisation: String,
    pub role: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Checkboxes: present (`on`) when ticked, absent otherwise.
    pub show_name: Option<String>,
    pub keep_informed: Option<String>,
    /// The honeypot: hidden from people, so anything in it was typed by a bot.
    pub leave_empty: String,
    pub consent_version: String,
    /// Where the signer came from (`/take-action?source=newsletter`).
    pub source: String,
    /// The language the form was shown in (`en`, `es`), which the mail to confirm is
    /// written in. Not checked here: an unknown one is English.
    #[serde(default)]
    pub lang: String,
}

/// Who signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    Person,
    /// On behalf of an organisation or a city, in the role given.
    Organisation {
        name: String,
        role: String,
    },
}

/// A signature that passed every check, its values normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub full_name: String,
    pub email: EmailAddress,
    pub signer: Signer,
    pub country: &'static str,
    pub show_name: bool,
    pub keep_informed: bool,
    pub consent_version: u32,
    pub source: Option<String>,
    /// The language the form was shown in, which the mails to the signer are written in.
    pub locale: Locale,
}

/// What the form turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignupSubmission {
    Signature(Signature),
    /// The honeypot was filled: answered like a signature, stored nowhere.
    Bot,
}

/// What can be wrong with a sign form, field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignupError {
    FullName(LineProblem),
    Email(EmailProblem),
    Kind(Choice),
    Organisation(LineProblem),
    Role(LineProblem),
    Country(Choice),
    /// The form was made for another version of the consent text.
    ConsentVersion,
}

impl FieldCode for SignupError {
    type Context = ();

    fn field(&self) -> &'static str {
        match self {
            Self::FullName(_) => "full_name",
            Self::Email(_) => "email",
            Self::Kind(_) => "kind",
            Self::Organisation(_) => "organisation",
            Self::Role(_) => "role",
            Self::Country(_) => "country",
            Self::ConsentVersion => "consent_version",
        }
    }

    fn message(&self, (): &(), locale: Locale) -> String {
        match *self {
            Self::FullName(problem) => FULL_NAME.message(problem, locale),
            Self::Email(problem) => problem.message(locale),
            Self::Kind(_) => td_string!(locale, forms.sign.error.kind).to_owned(),
            Self::Organisation(problem) => ORGANISATION.message(problem, locale),
            Self::Role(problem) => ROLE.message(problem, locale),
            Self::Country(Choice::Missing) => {
                td_string!(locale, forms.sign.error.country_missing).to_owned()
            }
            Self::Country(Choice::Unknown) => {
                td_string!(locale, forms.sign.error.country_unknown).to_owned()
            }
            Self::ConsentVersion => td_string!(locale, forms.sign.error.consent_version).to_owned(),
        }
    }
}

impl SignupForm {
    /// What may be shown back to the signer with the errors: the honeypot emptied, and every
    /// value cut to its field's length.
    pub fn for_echo(self) -> Self {
        Self {
            full_name: cut(self.full_name, MAX_NAME),
            email: cut(self.email, MAX_EMAIL),
            kind: cut(self.kind, 16),
            organisation: cut(self.organisation, MAX_ORGANISATION),
            role: cut(self.role, MAX_ROLE),
            country: cut(self.country, 4),
            show_name: self.show_name.map(|_| "on".to_owned()),
            keep_informed: self.keep_informed.map(|_| "on".to_owned()),
            leave_empty: String::new(),
            consent_version: cut(self.consent_version, 8),
            source: cut(self.source, MAX_SOURCE),
            lang: cut(self.lang, 8),
        }
    }

    /// Checks every field at once.
    ///
    /// # Errors
    /// One code per wrong field, in the order the fields appear on the page.
    pub fn parse(&self) -> Result<SignupSubmission, Vec<SignupError>> {
        if !self.leave_empty.trim().is_empty() {
            return Ok(SignupSubmission::Bot);
        }
        let mut errors = Vec::new();
        macro_rules! check {
            ($result:expr $(,)?) => {
                keep(&mut errors, $result)
            };
        }

        let full_name = check!(FULL_NAME
            .parse(&self.full_name)
            .map_err(SignupError::FullName));
        let email = check!(EmailAddress::parse(&self.email).map_err(SignupError::Email));
        let kind = check!(match self.kind.trim() {
            "person" => Ok(false),
            "organisation" => Ok(true),
            "" => Err(SignupError::Kind(Choice::Missing)),
            _ => Err(SignupError::Kind(Choice::Unknown)),
        });
        let organisation = (kind == Some(true)).then(|| {
            let name = check!(ORGANISATION
                .parse(&self.organisation)
                .map_err(SignupError::Organisation));
            let role = check!(ROLE.parse(&self.role).map_err(SignupError::Role));
            (name, role)
        });
        let country = check!(country(&self.country));
        let consent_version = check!(self
            .consent_version
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|version| *version == SIGNUP_CONSENT_VERSION)
            .ok_or(SignupError::ConsentVersion));

        let signer = match (kind, organisation) {
            (Some(false), _) => Some(Signer::Person),
            (Some(true), Some((Some(name), Some(role)))) => {
                Some(Signer::Organisation { name, role })
            }
            _ => None,
        };
        match (full_name, email, signer, country, consent_version) {
            (Some(full_name), Some(email), Some(signer), Some(country), Some(consent_version))
                if errors.is_empty() =>
            {
                Ok(SignupSubmission::Signature(Signature {
                    full_name,
                    email,
                    signer,
                    country,
                    show_name: self.show_name.is_some(),
                    keep_informed: self.keep_informed.is_some(),
                    consent_version,
                    source: source(&self.source),
                    locale: from_code(self.lang.trim()).unwrap_or(Locale::en_GB),
                }))
            }
            _ => Err(errors),
        }
    }
}

/// The lines of text a signer types.
pub const FULL_NAME: Line = Line::new(
    |locale| td_string!(locale, forms.line.what.full_name),
    MAX_NAME,
);
pub const ORGANISATION: Line = Line::new(
    |locale| td_string!(locale, forms.line.what.organisation),
    MAX_ORGANISATION,
);
pub const ROLE: Line = Line::new(|locale| td_string!(locale, forms.line.what.role), MAX_ROLE);

fn country(raw: &str) -> Result<&'static str, SignupError> {
    let code = raw.trim();
    if code.is_empty() {
        return Err(SignupError::Country(Choice::Missing));
    }
    COUNTRIES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code))
        .map(|(known, _)| *known)
        .ok_or(SignupError::Country(Choice::Unknown))
}

/// The English name of an ISO country code, if it is one.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, name)| *name)
}

/// A campaign label from a link (`?source=newsletter`). It is ours, not the signer's, so a
/// strange one is dropped rather than reported.
fn source(raw: &str) -> Option<String> {
    let value = raw.trim();
    let tidy = !value.is_empty()
        && value.len() <= MAX_SOURCE
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    tidy.then(|| value.to_ascii_lowercase())
}

/// The number of confirmed signatures and the next goal to reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCount {
    pub confirmed: u64,
    /// The campaign's first goal; once passed, the next milestone takes its place.
    pub first_goal: u64,
}

impl SignatureCount {
    /// The goal now shown: the first one, or the next step of 1-2-5 (×10ⁿ) milestones
    /// above it once it has been reached, so the bar always has somewhere to go.
    pub fn goal(&self) -> u64 {
        let base = self.first_goal.max(1);
        let mut scale = 1u64;
        loop {
            for step in [1, 2, 5] {
                let goal = base.saturating_mul(scale).saturating_mul(step);
                if goal > self.confirmed || goal == u64::MAX {
                    return goal;
                }
            }
            scale = scale.saturating_mul(10);
        }
    }

    /// The headline, in `locale`: never "0 signatures", which would put people off being
    /// first.
    pub fn headline(&self, locale: Locale) -> String {
        match self.confirmed {
            0 => td_string!(locale, forms.meter.first).to_owned(),
            count => {
                let shown = number(locale, count);
                td_string!(locale, forms.meter.so_far, count, shown)
            }
        }
    }
}

/// `12345` → `12,345`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The call to action as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallToAction {
    pub title: String,
    pub summary: String,
    /// Why it matters, paragraph by paragraph.
    pub why: Vec<String>,
    pub principles: Vec<Principle>,
    pub count: SignatureCount,
    /// The newest confirmed signers who asked to be listed.
    pub recent: Vec<PublicSigner>,
    /// The news post that tells the call's story, to share.
    pub post: Option<PostSummary>,
}

/// One principle of the call, and what it asks in a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Principle {
    pub name: String,
    /// Empty for a principle added without one; the page then shows the name alone.
    pub sentence: String,
}

/// A confirmed signer who chose to show their name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PublicSigner {
    pub full_name: String,
    pub organisation: Option<String>,
    pub country: String,
}

/// What a confirmation link leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confirmation {
    /// Waiting for its button to be pressed.
    Pending,
    Confirmed,
    /// Not confirmed within 7 days: the signature is gone.
    Expired,
    /// No signature has this token (mistyped, replaced by a newer mail, or never sent).
    Unknown,
}

/// A token from a confirmation link: 32 random bytes, base64url without padding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationToken(String);

impl ConfirmationToken {
    pub const LEN: usize = 43;

    /// `None` when `raw` cannot be one of our tokens, so no query is made for it.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == Self::LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(raw.to_owned()))
    }
}

impl AsRef<str> for ConfirmationToken {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_form() -> SignupForm {
        SignupForm {
            full_name: "Ana María Pérez".into(),
            email: "Ana.Perez@Example.ORG".into(),
            kind: "person".into(),
            country: "ES".into(),
            consent_version: SIGNUP_CONSENT_VERSION.to_string(),
            ..SignupForm::default()
        }
    }

    fn signature(form: &SignupForm) -> Signature {
        match form.parse() {
            Ok(SignupSubmission::Signature(signature)) => signature,
            other => panic!("expected a signature, got {other:?}"),
        }
    }

    fn fields(form: &SignupForm) -> Vec<String> {
        match form.parse() {
            Err(errors) => errors
                .iter()
                .map(|error| error.field().to_owned())
                .collect(),
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_person_parses_with_its_values_normalised() {
        let signature = signature(&SignupForm {
            full_name: "  Ana María Pérez ".into(),
            show_name: Some("on".into()),
            source: "Newsletter-2026".into(),
            ..valid_form()
        });
        assert_eq!(signature.full_name, "Ana María Pérez");
        assert_eq!(signature.email.as_ref(), "Ana.Perez@example.org");
        assert_eq!(signature.signer, Signer::Person);
        assert_eq!(signature.country, "ES");
        assert!(signature.show_name);
        assert!(!signature.keep_informed);
        assert_eq!(signature.source.as_deref(), Some("newsletter-2026"));
    }

    #[test]
    fn names_are_stored_in_nfc() {
        // "é" typed as e + combining acute.
        let signature = signature(&SignupForm {
            full_name: "Pe\u{301}rez".into(),
            ..valid_form()
        });
        assert_eq!(signature.full_name, "P\u{e9}rez");
    }

    #[test]
    fn an_organisation_needs_its_name_and_the_signers_role() {
        let form = SignupForm {
            kind: "organisation".into(),
            ..valid_form()
        };
        assert_eq!(fields(&form), ["organisation", "role"]);
        let signature = signature(&SignupForm {
            organisation: "City of Rotterdam".into(),
            role: "Mayor".into(),
            ..form
        });
        assert_eq!(
            signature.signer,
            Signer::Organisation {
                name: "City of Rotterdam".into(),
                role: "Mayor".into()
            }
        );
    }

    #[test]
    fn a_person_ignores_organisation_fields_left_from_a_changed_mind() {
        let signature = signature(&SignupForm {
            organisation: "Somewhere".into(),
            role: "Someone".into(),
            ..valid_form()
        });
        assert_eq!(signature.signer, Signer::Person);
    }

    #[test]
    fn every_bad_field_is_reported_at_once_in_page_order() {
        let form = SignupForm::default();
        assert_eq!(
            fields(&form),
            ["full_name", "email", "kind", "country", "consent_version"]
        );
    }

    #[test]
    fn bad_values_get_a_message_for_their_field() {
        let long = "x".repeat(MAX_NAME + 1);
        let cases: &[(&str, SignupForm)] = &[
            (
                "full_name",
                SignupForm {
                    full_name: "   ".into(),
                    ..valid_form()
                },
            ),
            (
                "full_name",
                SignupForm {
                    full_name: long.clone(),
                    ..valid_form()
                },
            ),
            (
                "full_name",
                SignupForm {
                    full_name: "Ana\r\nBcc: x@y.z".into(),
                    ..valid_form()
                },
            ),
            (
                "full_name",
                SignupForm {
                    full_name: "Ana\u{0}".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: "".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: "ana".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: "ana@localhost".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: "ana@@example.org".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: "ana perez@example.org".into(),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: "ana@example.org\n".repeat(2),
                    ..valid_form()
                },
            ),
            (
                "email",
                SignupForm {
                    email: format!("{}@example.org", "a".repeat(250)),
                    ..valid_form()
                },
            ),
            (
                "kind",
                SignupForm {
                    kind: "robot".into(),
                    ..valid_form()
                },
            ),
            (
                "country",
                SignupForm {
                    country: "".into(),
                    ..valid_form()
                },
            ),
            (
                "country",
                SignupForm {
                    country: "XX".into(),
                    ..valid_form()
                },
            ),
            (
                "country",
                SignupForm {
                    country: "Spain".into(),
                    ..valid_form()
                },
            ),
            (
                "consent_version",
                SignupForm {
                    consent_version: "0".into(),
                    ..valid_form()
                },
            ),
            (
                "consent_version",
                SignupForm {
                    consent_version: "one".into(),
                    ..valid_form()
                },
            ),
        ];
        for (field, form) in cases {
            assert_eq!(fields(form), [*field], "for {form:?}");
        }
    }

    #[test]
    fn blank_and_spoofing_names_are_refused() {
        for name in [
            "\u{200b}\u{200b}",
            "Ana\u{202e}zeréP",
            "---",
            "Ana\u{2028}Pérez",
        ] {
            let form = SignupForm {
                full_name: name.into(),
                ..valid_form()
            };
            assert_eq!(fields(&form), ["full_name"], "{name:?}");
        }
    }

    #[test]
    fn an_address_is_checked_as_it_would_be_stored() {
        // 'İ' lower-cases to two characters: the stored form is what must fit.
        let domain = format!("{}.org", "İ".repeat(124));
        let form = SignupForm {
            email: format!("a@{domain}"),
            ..valid_form()
        };
        assert_eq!(fields(&form), ["email"]);
    }

    /// An empty form for an organisation: every field that can be wrong is.
    fn every_error() -> Vec<SignupError> {
        SignupForm {
            kind: "organisation".into(),
            ..SignupForm::default()
        }
        .parse()
        .err()
        .unwrap_or_default()
    }

    #[test]
    fn codes_travel_as_short_words_and_only_known_ones_are_read() {
        let errors = every_error();
        let wire = serde_json::to_string(&errors).expect("serialises");
        assert_eq!(
            wire,
            r#"[{"full_name":"empty"},{"email":"empty"},{"organisation":"empty"},{"role":"empty"},{"country":"missing"},"consent_version"]"#
        );
        assert_eq!(
            serde_json::from_str::<Vec<SignupError>>(&wire).ok(),
            Some(errors)
        );
        for forged in [
            r#"[{"email":"Call +1 555 0100 to verify."}]"#,
            r#"[{"nonsense":"empty"}]"#,
            r#"[{"field":"email","message":"Enter your full name."}]"#,
        ] {
            assert!(
                serde_json::from_str::<Vec<SignupError>>(forged).is_err(),
                "{forged}"
            );
        }
    }

    #[test]
    fn echoed_values_are_cut_to_their_fields() {
        let echoed = SignupForm {
            full_name: "x".repeat(10_000),
            leave_empty: "bot".into(),
            ..valid_form()
        }
        .for_echo();
        assert_eq!(echoed.full_name.chars().count(), MAX_NAME);
        assert_eq!(echoed.leave_empty, "");
    }

    #[test]
    fn messages_speak_to_people() {
        let errors = every_error();
        assert_eq!(errors.len(), 6);
        assert!(errors.iter().all(|error| {
            crate::domain::language::LOCALES.into_iter().all(|locale| {
                let message = error.message(&(), locale);
                message.ends_with('.') && message.chars().next().is_some_and(char::is_uppercase)
            })
        }));
        assert_eq!(
            SignupError::Email(EmailProblem::Invalid).message(&(), Locale::en_GB),
            "Enter an email address in the form name@example.org."
        );
        assert_eq!(
            SignupError::FullName(LineProblem::Empty).message(&(), Locale::en_GB),
            "Enter your full name."
        );
        assert_eq!(
            SignupError::Role(LineProblem::TooLong).message(&(), Locale::en_GB),
            "Enter your role in it in 100 characters or fewer."
        );
    }

    #[test]
    fn messages_speak_spanish_on_the_spanish_site() {
        assert_eq!(
            SignupError::FullName(LineProblem::Empty).message(&(), Locale::es),
            "Introduzca su nombre completo."
        );
        assert_eq!(
            SignupError::Organisation(LineProblem::TooLong).message(&(), Locale::es),
            "Introduzca el nombre de su organización o ciudad en 150 caracteres como máximo."
        );
        assert_eq!(
            SignupError::Email(EmailProblem::TooLong).message(&(), Locale::es),
            "Introduzca una dirección de correo electrónico de 254 caracteres como máximo."
        );
        assert_eq!(
            SignupError::Country(Choice::Missing).message(&(), Locale::es),
            "Elija su país."
        );
    }

    #[test]
    fn the_consent_shown_in_english_is_the_versioned_text() {
        assert_eq!(
            td_string!(Locale::en_GB, forms.sign.consent),
            SIGNUP_CONSENT_TEXT
        );
    }

    #[test]
    fn the_language_survives_the_echo() {
        let echoed = SignupForm {
            lang: "es".into(),
            ..valid_form()
        }
        .for_echo();
        assert_eq!(echoed.lang, "es");
    }

    #[test]
    fn a_filled_honeypot_is_a_bot_whatever_else_is_sent() {
        let form = SignupForm {
            leave_empty: "http://spam.example".into(),
            ..SignupForm::default()
        };
        assert_eq!(form.parse(), Ok(SignupSubmission::Bot));
        assert_eq!(form.for_echo().leave_empty, "");
    }

    #[test]
    fn odd_sources_are_dropped_not_reported() {
        for raw in ["", "a b", "<script>", &"x".repeat(65)] {
            let signature = signature(&SignupForm {
                source: raw.into(),
                ..valid_form()
            });
            assert_eq!(signature.source, None, "for {raw:?}");
        }
    }

    #[test]
    fn the_goal_moves_to_the_next_milestone_once_reached() {
        let goal = |confirmed| {
            SignatureCount {
                confirmed,
                first_goal: 100,
            }
            .goal()
        };
        assert_eq!(goal(0), 100);
        assert_eq!(goal(99), 100);
        assert_eq!(goal(100), 200);
        assert_eq!(goal(200), 500);
        assert_eq!(goal(500), 1000);
        assert_eq!(goal(1000), 2000);
        assert_eq!(goal(123_456), 200_000);
        assert!(goal(u64::MAX) >= 100);
    }

    #[test]
    fn the_headline_never_says_zero() {
        let headline = |confirmed| {
            SignatureCount {
                confirmed,
                first_goal: 100,
            }
            .headline(Locale::en_GB)
        };
        assert_eq!(headline(0), "Be the first to sign the call");
        assert_eq!(headline(1), "1 signature so far");
        assert_eq!(headline(12_345), "12,345 signatures so far");
        let titular = |confirmed| {
            SignatureCount {
                confirmed,
                first_goal: 100,
            }
            .headline(Locale::es)
        };
        assert_eq!(
            titular(0),
            "Sea la primera persona en firmar el llamamiento"
        );
        assert_eq!(titular(1), "1 firma hasta ahora");
        assert_eq!(titular(12_345), "12.345 firmas hasta ahora");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsing_never_panics_and_errors_name_real_fields(
                full_name in ".{0,300}", email in ".{0,300}", kind in ".{0,20}",
                organisation in ".{0,200}", role in ".{0,200}", country in ".{0,4}",
                leave_empty in ".{0,3}", consent_version in ".{0,4}", source in ".{0,80}",
            ) {
                let form = SignupForm {
                    full_name, email, kind, organisation, role, country,
                    show_name: None, keep_informed: Some("on".into()),
                    leave_empty, consent_version, source, lang: String::new(),
                };
                match form.parse() {
                    Ok(SignupSubmission::Signature(signature)) => {
                        prop_assert!(!signature.full_name.is_empty());
                        prop_assert!(!signature.full_name.chars().any(char::is_control));
                        prop_assert!(signature.full_name.chars().count() <= MAX_NAME);
                        prop_assert!(signature.email.as_ref().contains('@'));
                    }
                    Ok(SignupSubmission::Bot) => prop_assert!(!form.leave_empty.trim().is_empty()),
                    Err(errors) => {
                        prop_assert!(!errors.is_empty());
                        for error in errors {
                            prop_assert!([
                                "full_name", "email", "kind", "organisation", "role",
                                "country", "consent_version",
                            ].contains(&error.field()));
                        }
                    }
                }
            }
        }
    }
}
