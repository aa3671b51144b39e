//! The reports' snapshot: each unit's and each employee's numbers for the current JP
//! year and the competency gaps by unit, computed by a job every minute (so a
//! dashboard of 70,000 employees reads rows instead of computing them), and when that
//! was.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportRuns {
    Table,
    /// `current`: the one snapshot.
    Name,
    Year,
    ComputedAt,
}

#[derive(DeriveIden)]
enum ReportUnits {
    Table,
    UnitId,
    Headcount,
    Assigned,
    Completed,
    Overdue,
    BandNone,
    BandLow,
    BandMid,
    BandTarget,
    QuizSum,
    QuizCount,
    /// The most-taken courses as JSON: `[[course_id, enrolments], …]`, at most ten.
    TopCourses,
}

#[derive(DeriveIden)]
enum ReportEmployees {
    Table,
    UserId,
    EmployeeId,
    UnitId,
    /// The unit's path, so a subtree's employees are one indexed range.
    UnitPath,
    Jp,
    Assigned,
    Completed,
    Overdue,
}

#[derive(DeriveIden)]
enum ReportGaps {
    Table,
    UnitId,
    CompetencyId,
    /// Requirements (an employee and a required level) in the unit and below.
    Required,
    /// Of those, met.
    Met,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportRuns::Table)
                    .col(string_len(ReportRuns::Name, 40).primary_key())
                    .col(integer(ReportRuns::Year))
                    .col(timestamp_with_time_zone(ReportRuns::ComputedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportUnits::Table)
                    .col(uuid(ReportUnits::UnitId).primary_key())
                    .col(big_integer(ReportUnits::Headcount))
                    .col(big_integer(ReportUnits::Assigned))
                    .col(big_integer(ReportUnits::Completed))
                    .col(big_integer(ReportUnits::Overdue))
                    .col(big_integer(ReportUnits::BandNone))
                    .col(big_integer(ReportUnits::BandLow))
                    .col(big_integer(ReportUnits::BandMid))
                    .col(big_integer(ReportUnits::BandTarget))
                    .col(double(ReportUnits::QuizSum))
                    .col(big_integer(ReportUnits::QuizCount))
                    .col(text(ReportUnits::TopCourses))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportEmployees::Table)
                    .col(uuid(ReportEmployees::UserId).primary_key())
                    .col(uuid(ReportEmployees::EmployeeId))
                    .col(uuid(ReportEmployees::UnitId))
                    .col(string_len(ReportEmployees::UnitPath, 1000))
                    .col(big_integer(ReportEmployees::Jp))
                    .col(integer(ReportEmployees::Assigned))
                    .col(integer(ReportEmployees::Completed))
                    .col(integer(ReportEmployees::Overdue))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("report_employees_path")
                    .table(ReportEmployees::Table)
                    .col(ReportEmployees::UnitPath)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportGaps::Table)
                    .col(uuid(ReportGaps::UnitId))
                    .col(uuid(ReportGaps::CompetencyId))
                    .col(big_integer(ReportGaps::Required))
                    .col(big_integer(ReportGaps::Met))
                    .primary_key(
                        Index::create()
                            .col(ReportGaps::UnitId)
                            .col(ReportGaps::CompetencyId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReportGaps::Table.into_iden(),
            ReportEmployees::Table.into_iden(),
            ReportUnits::Table.into_iden(),
            ReportRuns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
