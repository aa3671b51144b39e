//! One-time links that let the owner of an account under attack log in from an address
//! the account has not used before (sent by e-mail; stored only as hashes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UnlockLinks {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UnlockLinks::Table)
                    .col(pk_uuid(UnlockLinks::Id))
                    .col(uuid(UnlockLinks::UserId))
                    .col(string_len_uniq(UnlockLinks::TokenHash, 64))
                    .col(timestamp_with_time_zone(UnlockLinks::CreatedAt))
                    .col(timestamp_with_time_zone(UnlockLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(UnlockLinks::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnlockLinks::Table, UnlockLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unlock_links_user")
                    .table(UnlockLinks::Table)
                    .col(UnlockLinks::UserId)
                    .col(UnlockLinks::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UnlockLinks::Table).to_owned())
            .await
    }
}
