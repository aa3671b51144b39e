//! The job queue (work done outside requests: scheduled sweeps, reminders, mail, large
//! exports), the in-app notifications, and each user's mail preferences.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    /// What to do (`close_overdue_attempts`, `mail`, `export`, …).
    Kind,
    /// The job's input as JSON.
    Payload,
    /// `queued`, `running`, `done`, `failed` or `cancelled`.
    Status,
    /// Unique when set: a scheduled period (`schedule:due_reminders:2026-12-08`) or an
    /// event (`mail:<notification>`), so it is enqueued once across replicas.
    OnceKey,
    /// Lower first: a due sweep before a backlog of mail.
    Priority,
    /// Not before this instant.
    RunAt,
    /// Runs begun so far.
    Attempts,
    MaxAttempts,
    /// The claim of the worker running it (a new one per run): only it may finish the run.
    Lease,
    /// A running job whose lease lapsed (its process died) is claimed again.
    LockedUntil,
    /// 0–100.
    Progress,
    LastError,
    /// What it made, as JSON (an export's file and when its link expires).
    Result,
    /// Who asked for it (none for scheduled work).
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    /// The event (`course_assigned`, `due_soon`, …).
    Kind,
    /// The event's facts as JSON (course title, due date, …): the text is made from the
    /// catalog in the reader's language when shown.
    Params,
    /// Where it leads (a path on this site).
    Link,
    /// Unique: the recipient and the event, so an event notifies each person once.
    OnceKey,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum NotificationSettings {
    Table,
    UserId,
    Kind,
    /// Whether this event is also mailed (in-app notifications are always kept).
    Mail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(uuid(Jobs::Id).primary_key())
                    .col(string_len(Jobs::Kind, 60))
                    .col(text(Jobs::Payload))
                    .col(string_len(Jobs::Status, 20))
                    .col(string_len_null(Jobs::OnceKey, 300).unique_key())
                    .col(small_integer(Jobs::Priority).default(5))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(integer(Jobs::MaxAttempts))
                    .col(uuid_null(Jobs::Lease))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(integer(Jobs::Progress).default(0))
                    .col(text_null(Jobs::LastError))
                    .col(text_null(Jobs::Result))
                    .col(uuid_null(Jobs::CreatedBy))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_due")
                    .table(Jobs::Table)
                    .col(Jobs::Status)
                    .col(Jobs::Priority)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_created_at")
                    .table(Jobs::Table)
                    .col(Jobs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::UserId))
                    .col(string_len(Notifications::Kind, 60))
                    .col(text(Notifications::Params))
                    .col(string_len_null(Notifications::Link, 500))
                    .col(string_len(Notifications::OnceKey, 300).unique_key())
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_user")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_unread")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::ReadAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationSettings::Table)
                    .col(uuid(NotificationSettings::UserId))
                    .col(string_len(NotificationSettings::Kind, 60))
                    .col(boolean(NotificationSettings::Mail))
                    .primary_key(
                        Index::create()
                            .col(NotificationSettings::UserId)
                            .col(NotificationSettings::Kind),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NotificationSettings::Table.into_iden(),
            Notifications::Table.into_iden(),
            Jobs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
