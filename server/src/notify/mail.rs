//! Outgoing mail through lettre: to an SMTP server when `smtp_url` is set, otherwise as
//! one `.eml` file per message in `<data_dir>/outbox` (the embedded default, where an
//! operator or a test reads it).

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart, header::ContentType},
};

use crate::config::Config;

/// Where mail goes.
#[derive(Clone)]
enum Transport {
    /// Files in a directory.
    Outbox(AsyncFileTransport<Tokio1Executor>),
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends Mahir's mail; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Outbox(_) => "outbox",
            Transport::Smtp(_) => "smtp",
        };
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("transport", &kind)
            .finish()
    }
}

/// A message could not be built or handed over.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient's address cannot be used.
    #[error("bad recipient address: {0}")]
    Address(#[from] lettre::address::AddressError),
    /// The message could not be built.
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    /// The outbox could not be written.
    #[error("cannot write to the outbox: {0}")]
    Outbox(#[from] lettre::transport::file::Error),
    /// The SMTP server refused or could not be reached.
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

impl Mailer {
    /// The mailer the configuration asks for; the outbox directory is created if needed.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let from = config
            .mail_from
            .parse::<Mailbox>()
            .map_err(|e| anyhow::anyhow!("configuration key `mail_from`: {e}"))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("configuration key `smtp_url`: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(30)))
                    .build(),
            ),
            None => {
                let dir = config.data_dir.join("outbox");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
                Transport::Outbox(AsyncFileTransport::new(dir))
            }
        };
        Ok(Self { from, transport })
    }

    /// Sends a plain-text message to one person.
    pub async fn send(
        &self,
        to_name: &str,
        to_address: &str,
        subject: &str,
        body: String,
    ) -> Result<(), MailError> {
        self.send_message(Outgoing {
            to_name,
            to_address,
            subject,
            text: body,
            html: None,
            message_id: None,
        })
        .await
    }

    /// Sends a message: text only, or text with an HTML alternative.
    pub async fn send_message(&self, out: Outgoing<'_>) -> Result<(), MailError> {
        let to = Mailbox::new(Some(out.to_name.to_owned()), out.to_address.parse()?);
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(out.subject)
            .message_id(out.message_id);
        let message = match out.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(out.text, html))?,
            None => builder.header(ContentType::TEXT_PLAIN).body(out.text)?,
        };
        match &self.transport {
            Transport::Outbox(t) => {
                t.send(message).await?;
            }
            Transport::Smtp(t) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}

/// One message to send.
#[derive(Debug)]
pub struct Outgoing<'a> {
    /// The recipient's name.
    pub to_name: &'a str,
    /// Their address.
    pub to_address: &'a str,
    /// The subject line.
    pub subject: &'a str,
    /// The text body.
    pub text: String,
    /// The HTML alternative.
    pub html: Option<String>,
    /// `Message-ID` (a new one when `None`).
    pub message_id: Option<String>,
}
