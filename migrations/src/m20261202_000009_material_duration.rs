//! A video's playing time, read by the server from the uploaded file's container header,
//! so the "watched" rule no longer depends on what the learner's player reports.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Materials {
    Table,
    /// Whole seconds, rounded up; null for anything that is not a video of known length.
    DurationSeconds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Materials::Table)
                    .add_column(integer_null(Materials::DurationSeconds))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Materials::Table)
                    .drop_column(Materials::DurationSeconds)
                    .to_owned(),
            )
            .await
    }
}
