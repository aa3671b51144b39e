//! Questions keep their answer texts and feedback rendered when they are stored, so showing
//! an attempt renders nothing: a JSON object from each text (as written) to its HTML.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    /// `{"<text as written>": "<sanitized HTML>", …}`; `{}` for questions stored before.
    Fragments,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .add_column(text(Questions::Fragments).default("{}"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Questions::Table)
                    .drop_column(Questions::Fragments)
                    .to_owned(),
            )
            .await
    }
}
