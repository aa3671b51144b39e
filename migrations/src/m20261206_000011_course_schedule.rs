//! When and where a classical or blended course meets: its first and last session and its
//! venue (e-learning courses leave them empty).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    /// The first session's start.
    StartsAt,
    /// The last session's end.
    EndsAt,
    /// Where it meets: a room and building, or a video-meeting address.
    Venue,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for column in [
            timestamp_with_time_zone_null(Courses::StartsAt),
            timestamp_with_time_zone_null(Courses::EndsAt),
            string(Courses::Venue).default("").to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Courses::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Courses::StartsAt, Courses::EndsAt, Courses::Venue] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Courses::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
