//! In-app notifications: made by events (once per recipient and event), each also mailed
//! through the job queue unless its recipient turned that kind of mail off; listed, counted
//! and marked read by their recipient.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
    sea_query::{Expr, OnConflict},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    entities::{notification_settings, notifications, users},
    error::{AppError, AppResult},
    jobs::{
        model::JobKind,
        queue::{self, NewJob},
    },
    time::stamp,
    vocab::str_enum,
    web::i18n::{Lang, Tr},
};

str_enum! {
    /// What a notification tells.
    NoticeKind {
        /// A course was assigned to the recipient.
        CourseAssigned => "course_assigned",
        /// An assigned course is due in seven days.
        DueSoon => "due_soon",
        /// An assigned course is past its due date.
        Overdue => "overdue",
        /// An instructor graded the recipient's essay answers.
        EssayGraded => "essay_graded",
        /// Training done elsewhere was verified.
        ExternalVerified => "external_verified",
        /// Training done elsewhere was rejected.
        ExternalRejected => "external_rejected",
        /// The recipient is short of the year's JP target.
        JpShortfall => "jp_shortfall",
    }
}

/// An event for one person.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The recipient.
    pub user_id: Uuid,
    /// What happened.
    pub kind: NoticeKind,
    /// Its facts, put into the catalog's text (`{course}`, `{due_on}`, …).
    pub params: BTreeMap<String, String>,
    /// Where it leads.
    pub link: Option<String>,
    /// The event, unique for this recipient (`course_assigned:<assignment>`): a second
    /// notice of the same event is dropped.
    pub event: String,
}

impl Notice {
    /// A notice of `kind` for `user_id` about `event`.
    pub fn new(user_id: Uuid, kind: NoticeKind, event: impl Into<String>) -> Self {
        Self {
            user_id,
            kind,
            params: BTreeMap::new(),
            link: None,
            event: event.into(),
        }
    }

    /// With a fact for the text.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// Leading to `link`.
    pub fn link(mut self, link: impl Into<String>) -> Self {
        self.link = Some(link.into());
        self
    }
}

/// Records notices (in the caller's transaction) and enqueues the mail of each new one
/// whose recipient wants it; notices already given are skipped. Returns how many were new.
pub async fn give(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    notices: Vec<Notice>,
) -> AppResult<u64> {
    if notices.is_empty() {
        return Ok(0);
    }
    let opted_out = mail_off(db, &notices).await?;
    let at = stamp();
    let mut new = 0;
    for notice in notices {
        let id = Uuid::now_v7();
        let once_key = format!("{}:{}", notice.event, notice.user_id);
        let inserted = notifications::Entity::insert(notifications::ActiveModel {
            id: Set(id),
            user_id: Set(notice.user_id),
            kind: Set(notice.kind.as_str().to_owned()),
            params: Set(serde_json::to_string(&notice.params).unwrap_or_else(|_| "{}".into())),
            link: Set(notice.link),
            once_key: Set(once_key),
            created_at: Set(at),
            read_at: Set(None),
        })
        .on_conflict(
            OnConflict::column(notifications::Column::OnceKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        if inserted == 0 {
            continue;
        }
        new += 1;
        if opted_out.contains(&(notice.user_id, notice.kind)) {
            continue;
        }
        queue::enqueue(
            db,
            NewJob::new(
                JobKind::Mail,
                serde_json::json!({ "notification": id }),
                now,
            )
            .once(format!("mail:{id}")),
        )
        .await?;
    }
    Ok(new)
}

/// The (recipient, kind) pairs among `notices` whose mail is turned off.
async fn mail_off(
    db: &impl ConnectionTrait,
    notices: &[Notice],
) -> AppResult<Vec<(Uuid, NoticeKind)>> {
    let mut users: Vec<Uuid> = notices.iter().map(|n| n.user_id).collect();
    users.sort();
    users.dedup();
    let mut off = Vec::new();
    for chunk in users.chunks(500) {
        let rows = notification_settings::Entity::find()
            .filter(notification_settings::Column::UserId.is_in(chunk.to_vec()))
            .filter(notification_settings::Column::Mail.eq(false))
            .all(db)
            .await?;
        off.extend(
            rows.into_iter()
                .filter_map(|r| NoticeKind::parse(&r.kind).map(|k| (r.user_id, k))),
        );
    }
    Ok(off)
}

/// A notification as its recipient reads it, in their language.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NoticeView {
    /// Its id.
    pub id: Uuid,
    /// What it tells (`course_assigned`, `due_soon`, `overdue`, `essay_graded`,
    /// `external_verified`, `external_rejected`, `jp_shortfall`).
    pub kind: String,
    /// One line.
    pub title: String,
    /// A sentence or two.
    pub body: String,
    /// Where it leads.
    pub link: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Whether its recipient read it.
    pub read: bool,
}

/// The catalog's text of a notification's `part` (`title`, `body`) with its facts put in;
/// dates (`*_on`) are written the reader's way.
pub fn text(lang: Lang, kind: &str, part: &str, params: &BTreeMap<String, String>) -> String {
    let t = Tr { lang };
    // A text that names the due date, when the event has one.
    let dated = format!("notice.{kind}_{part}_due");
    let key = if params.contains_key("due_on") && lang.catalog().has(&dated) {
        dated
    } else {
        format!("notice.{kind}_{part}")
    };
    let mut s = t.get(&key).to_owned();
    for (name, value) in params {
        let shown = match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(d) if name.ends_with("_on") => t.date(&d),
            _ => value.clone(),
        };
        s = s.replace(&format!("{{{name}}}"), &shown);
    }
    s
}

/// A stored notification's facts.
pub fn params_of(row: &notifications::Model) -> BTreeMap<String, String> {
    serde_json::from_str(&row.params).unwrap_or_default()
}

fn view(lang: Lang, row: notifications::Model) -> NoticeView {
    let params = params_of(&row);
    NoticeView {
        title: text(lang, &row.kind, "title", &params),
        body: text(lang, &row.kind, "body", &params),
        id: row.id,
        kind: row.kind,
        link: row.link,
        created_at: row.created_at,
        read: row.read_at.is_some(),
    }
}

/// One page of the user's notifications, newest first, with the total and the unread count.
pub async fn mine(
    db: &impl ConnectionTrait,
    user: &users::Model,
    page: u64,
    per_page: u64,
) -> AppResult<(Vec<NoticeView>, u64, u64)> {
    let lang = Lang::parse(&user.language).unwrap_or_default();
    let pages = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id))
        .order_by_desc(notifications::Column::CreatedAt)
        .order_by_desc(notifications::Column::Id)
        .paginate(db, per_page);
    let total = pages.num_items().await?;
    let rows = pages.fetch_page(page.saturating_sub(1)).await?;
    let unread = unread(db, user.id).await?;
    Ok((
        rows.into_iter().map(|r| view(lang, r)).collect(),
        total,
        unread,
    ))
}

/// Where one of the user's notifications leads (`None`: not theirs, or nowhere).
pub async fn link_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<Option<String>> {
    Ok(notifications::Entity::find_by_id(id)
        .filter(notifications::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .and_then(|n| n.link)
        .filter(|l| l.starts_with('/') && !l.starts_with("//")))
}

/// How many of the user's notifications are unread.
pub async fn unread(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<u64> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user_id))
        .filter(notifications::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks one of the user's notifications read (`Some(id)`), or all of them; someone
/// else's is not found.
pub async fn mark_read(
    db: &DatabaseConnection,
    user_id: Uuid,
    id: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    crate::db::in_write(db, async |txn| {
        let mut update = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(now))
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::ReadAt.is_null());
        if let Some(id) = id {
            let found = notifications::Entity::find_by_id(id)
                .filter(notifications::Column::UserId.eq(user_id))
                .one(txn)
                .await?;
            if found.is_none() {
                return Err(AppError::NotFound);
            }
            update = update.filter(notifications::Column::Id.eq(id));
        }
        update.exec(txn).await?;
        Ok(())
    })
    .await
}

/// The kinds whose mail the user turned off.
pub async fn mail_settings(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Vec<(NoticeKind, bool)>> {
    let rows = notification_settings::Entity::find()
        .filter(notification_settings::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    Ok(NoticeKind::ALL
        .iter()
        .map(|k| {
            let on = rows
                .iter()
                .find(|r| r.kind == k.as_str())
                .is_none_or(|r| r.mail);
            (*k, on)
        })
        .collect())
}

/// Sets which kinds the user wants mailed (every kind not in `mailed` is turned off).
pub async fn set_mail_settings(
    db: &DatabaseConnection,
    user_id: Uuid,
    mailed: &[NoticeKind],
) -> AppResult<()> {
    crate::db::in_write(db, async |txn| {
        notification_settings::Entity::delete_many()
            .filter(notification_settings::Column::UserId.eq(user_id))
            .exec(txn)
            .await?;
        for kind in NoticeKind::ALL.iter().filter(|k| !mailed.contains(k)) {
            notification_settings::ActiveModel {
                user_id: Set(user_id),
                kind: Set(kind.as_str().to_owned()),
                mail: Set(false),
            }
            .insert(txn)
            .await?;
        }
        Ok(())
    })
    .await
}
