//! A tower-sessions store over our own database connection, so every replica shares the
//! sessions and an admin can end all of one user's sessions with one statement.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
    session_store,
};
use uuid::Uuid;

use crate::{db::begin_write, entities::sessions};

/// The session data key holding the logged-in user's id; mirrored into `sessions.user_id`.
pub const USER_KEY: &str = "uid";

/// Sessions in the `sessions` table.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    clock: std::sync::Arc<crate::time::Clock>,
}

impl DbSessionStore {
    /// A store over `db`, judging expiry by `clock`.
    pub fn new(db: DatabaseConnection, clock: std::sync::Arc<crate::time::Clock>) -> Self {
        Self { db, clock }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_default()
}

fn active_model(record: &Record) -> session_store::Result<sessions::ActiveModel> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let user_id = record
        .data
        .get(USER_KEY)
        .and_then(|v| serde_json::from_value::<Uuid>(v.clone()).ok());
    Ok(sessions::ActiveModel {
        id: Set(record.id.to_string()),
        user_id: Set(user_id),
        data: Set(data),
        expires_at: Set(expiry(record)),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; on the astronomically unlikely collision, draw again.
        loop {
            let existing = sessions::Entity::find_by_id(record.id.to_string())
                .one(&self.db)
                .await
                .map_err(backend)?;
            if existing.is_none() {
                break;
            }
            record.id = Id::default();
        }
        let txn = begin_write(&self.db).await.map_err(backend)?;
        sessions::Entity::insert(active_model(record)?)
            .exec(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let txn = begin_write(&self.db).await.map_err(backend)?;
        sessions::Entity::insert(active_model(record)?)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .update_columns([
                        sessions::Column::UserId,
                        sessions::Column::Data,
                        sessions::Column::ExpiresAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let row = sessions::Entity::find_by_id(session_id.to_string())
            .filter(sessions::Column::ExpiresAt.gt(self.clock.now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let txn = begin_write(&self.db).await.map_err(backend)?;
        sessions::Entity::delete_by_id(session_id.to_string())
            .exec(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }
}

/// Ends every session of a user (disabled account, password change elsewhere).
pub async fn end_user_sessions(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
) -> Result<u64, sea_orm::DbErr> {
    let res = sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Removes expired sessions; run periodically.
pub async fn delete_expired(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let res = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
