//! Search: the change feed that every replica's indexer follows (one row per change of a
//! course's searchable content, written in the change's own transaction), and the text of
//! PDF documents, extracted once when uploaded so every replica indexes it without the
//! file (a table of its own: serving a file never reads it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchChanges {
    Table,
    /// Increasing: an indexer's position is the last id it applied.
    Id,
    /// The course whose documents are to be read again (gone: removed).
    CourseId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MaterialTexts {
    Table,
    /// The PDF material (one row per PDF; kept apart so serving a file never reads it).
    MaterialId,
    CourseId,
    /// Its text (capped), for search; null when it could not be read.
    Text,
    /// Why it could not be read.
    Problem,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchChanges::Table)
                    .col(big_pk_auto(SearchChanges::Id))
                    .col(uuid(SearchChanges::CourseId))
                    .col(timestamp_with_time_zone(SearchChanges::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("search_changes_created_at")
                    .table(SearchChanges::Table)
                    .col(SearchChanges::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MaterialTexts::Table)
                    .col(uuid(MaterialTexts::MaterialId).primary_key())
                    .col(uuid(MaterialTexts::CourseId))
                    .col(text_null(MaterialTexts::Text))
                    .col(string_null(MaterialTexts::Problem))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("material_texts_course")
                    .table(MaterialTexts::Table)
                    .col(MaterialTexts::CourseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MaterialTexts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SearchChanges::Table).to_owned())
            .await
    }
}
