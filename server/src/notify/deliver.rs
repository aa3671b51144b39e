//! The `mail` job: one notification mailed to its recipient, in their language, as text
//! and HTML (askama templates). The message id is the notification's, so a message sent
//! again after a crash is recognisably the same one.

use askama::Template;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::{
    mail::{Mailer, Outgoing},
    notices,
};
use crate::{
    entities::{notifications, users},
    web::i18n::{Lang, Tr},
};

#[derive(Template)]
#[template(path = "mail/notice.txt")]
struct NoticeText<'a> {
    t: Tr,
    name: &'a str,
    body: &'a str,
    link: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "mail/notice.html")]
struct NoticeHtml<'a> {
    t: Tr,
    name: &'a str,
    title: &'a str,
    body: &'a str,
    link: Option<&'a str>,
}

/// What a `mail` job did.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivered {
    /// Handed to the SMTP server (or written to the outbox).
    Sent,
    /// Not sent: the notification is gone, or its recipient has no address or no account.
    Skipped(&'static str),
}

/// Mails notification `id` (an SMTP failure is an error: the job is retried).
pub async fn send(
    db: &DatabaseConnection,
    mailer: &Mailer,
    base_url: &str,
    id: Uuid,
) -> anyhow::Result<Delivered> {
    let Some(row) = notifications::Entity::find_by_id(id).one(db).await? else {
        return Ok(Delivered::Skipped("notification gone"));
    };
    let Some(user) = users::Entity::find_by_id(row.user_id).one(db).await? else {
        return Ok(Delivered::Skipped("no account"));
    };
    if !user.active {
        return Ok(Delivered::Skipped("account disabled"));
    }
    let Some(address) = user.email.as_deref().filter(|a| !a.trim().is_empty()) else {
        return Ok(Delivered::Skipped("no address"));
    };
    let lang = Lang::parse(&user.language).unwrap_or_default();
    let params = notices::params_of(&row);
    let title = notices::text(lang, &row.kind, "title", &params);
    let body = notices::text(lang, &row.kind, "body", &params);
    let link = row.link.as_ref().map(|l| format!("{base_url}{l}"));
    let t = Tr { lang };
    let text = NoticeText {
        t,
        name: &user.display_name,
        body: &body,
        link: link.as_deref(),
    }
    .render()?;
    let html = NoticeHtml {
        t,
        name: &user.display_name,
        title: &title,
        body: &body,
        link: link.as_deref(),
    }
    .render()?;
    mailer
        .send_message(Outgoing {
            to_name: &user.display_name,
            to_address: address,
            subject: &title,
            text,
            html: Some(html),
            message_id: Some(format!("<{}@mahir>", row.id)),
        })
        .await?;
    Ok(Delivered::Sent)
}
