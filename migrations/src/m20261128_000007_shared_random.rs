//! A quiz's random questions can come from the shared bank (questions of no course)
//! instead of the course's own bank.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Quizzes {
    Table,
    /// Random questions drawn from the shared bank, not the course's.
    RandomShared,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Quizzes::Table)
                    .add_column(boolean(Quizzes::RandomShared).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Quizzes::Table)
                    .drop_column(Quizzes::RandomShared)
                    .to_owned(),
            )
            .await
    }
}
