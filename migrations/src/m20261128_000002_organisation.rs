//! The organisation: the unit tree, positions, grades (golongan/ruang), employees linked to
//! users, and user roles (a unit_admin role is scoped to one unit and its subtree).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    Code,
    Name,
    NameEn,
    Kind,
    ParentId,
    /// Materialised path `/<id>/<id>/…/` so a subtree is one prefix query.
    Path,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
    UnitId,
    Name,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Grades {
    Table,
    Code,
    Name,
    Rank,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
    UserId,
    Nip,
    Nrk,
    UnitId,
    PositionId,
    GradeCode,
    SupervisorId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserRoles {
    Table,
    Id,
    UserId,
    Role,
    UnitId,
    CreatedAt,
}

/// Golongan/ruang I/a … IV/e with their titles (PP 99/2000).
const GRADES: [(&str, &str); 17] = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(pk_uuid(Units::Id))
                    .col(string_len_uniq(Units::Code, 32))
                    .col(string_len(Units::Name, 200))
                    .col(string_len_null(Units::NameEn, 200))
                    .col(string_len(Units::Kind, 32))
                    .col(uuid_null(Units::ParentId))
                    .col(string_len(Units::Path, 1024))
                    .col(timestamp_with_time_zone(Units::CreatedAt))
                    .col(timestamp_with_time_zone(Units::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Units::Table, Units::ParentId)
                            .to(Units::Table, Units::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_units_parent")
                    .table(Units::Table)
                    .col(Units::ParentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_units_path")
                    .table(Units::Table)
                    .col(Units::Path)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Positions::Table)
                    .col(pk_uuid(Positions::Id))
                    .col(uuid(Positions::UnitId))
                    .col(string_len(Positions::Name, 200))
                    .col(string_len(Positions::Kind, 32))
                    .col(timestamp_with_time_zone(Positions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Positions::Table, Positions::UnitId)
                            .to(Units::Table, Units::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_positions_unit_name")
                    .table(Positions::Table)
                    .col(Positions::UnitId)
                    .col(Positions::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Grades::Table)
                    .col(string_len(Grades::Code, 8).primary_key())
                    .col(string_len(Grades::Name, 64))
                    .col(integer_uniq(Grades::Rank))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert
            .into_table(Grades::Table)
            .columns([Grades::Code, Grades::Name, Grades::Rank]);
        for (rank, (code, name)) in GRADES.iter().enumerate() {
            insert.values_panic([(*code).into(), (*name).into(), (rank as i32 + 1).into()]);
        }
        manager.exec_stmt(insert).await?;

        manager
            .create_table(
                Table::create()
                    .table(Employees::Table)
                    .col(pk_uuid(Employees::Id))
                    .col(uuid_uniq(Employees::UserId))
                    .col(string_len_uniq(Employees::Nip, 18))
                    .col(string_len_null(Employees::Nrk, 32).unique_key())
                    .col(uuid(Employees::UnitId))
                    .col(uuid_null(Employees::PositionId))
                    .col(string_len_null(Employees::GradeCode, 8))
                    .col(uuid_null(Employees::SupervisorId))
                    .col(timestamp_with_time_zone(Employees::CreatedAt))
                    .col(timestamp_with_time_zone(Employees::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Employees::Table, Employees::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Employees::Table, Employees::UnitId)
                            .to(Units::Table, Units::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Employees::Table, Employees::PositionId)
                            .to(Positions::Table, Positions::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Employees::Table, Employees::GradeCode)
                            .to(Grades::Table, Grades::Code)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Employees::Table, Employees::SupervisorId)
                            .to(Employees::Table, Employees::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_employees_unit")
                    .table(Employees::Table)
                    .col(Employees::UnitId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserRoles::Table)
                    .col(pk_uuid(UserRoles::Id))
                    .col(uuid(UserRoles::UserId))
                    .col(string_len(UserRoles::Role, 32))
                    .col(uuid_null(UserRoles::UnitId))
                    .col(timestamp_with_time_zone(UserRoles::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRoles::Table, UserRoles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRoles::Table, UserRoles::UnitId)
                            .to(Units::Table, Units::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_roles_user")
                    .table(UserRoles::Table)
                    .col(UserRoles::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UserRoles::Table.into_iden(),
            Employees::Table.into_iden(),
            Grades::Table.into_iden(),
            Positions::Table.into_iden(),
            Units::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
