//! Competency management: the dictionary (competencies with levels 1–5), what each position
//! requires, what each course develops, the immutable completion records with the evidence
//! they give, supervisors' assessments and training done elsewhere with its verification.
//! Completed enrolments from before get their completion records here.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Competencies {
    Table,
    Id,
    /// e.g. `M.01`, `SK.01`, `T.KI.01`; question tags name it by this code.
    Code,
    /// `manajerial`, `sosial_kultural` or `teknis`.
    Kind,
    Name,
    NameEn,
    Definition,
    DefinitionEn,
    /// Set when retired: kept for its evidence, offered for nothing new.
    RetiredAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CompetencyLevels {
    Table,
    CompetencyId,
    /// 1–5.
    Level,
    Description,
    DescriptionEn,
    /// Behaviour indicators, one per line.
    Indicators,
}

#[derive(DeriveIden)]
enum PositionRequirements {
    Table,
    PositionId,
    CompetencyId,
    Level,
}

#[derive(DeriveIden)]
enum CourseCompetencies {
    Table,
    CourseId,
    CompetencyId,
    /// The level a completion of the course proves.
    Level,
}

#[derive(DeriveIden)]
enum ExternalTrainings {
    Table,
    Id,
    UserId,
    Title,
    Organiser,
    StartOn,
    EndOn,
    Jp,
    Category,
    CertificateNumber,
    /// `pending`, `verified` or `rejected`.
    Status,
    /// The evidence file in the material store, once uploaded.
    EvidenceKey,
    EvidenceFileName,
    EvidenceContentType,
    EvidenceSize,
    EvidenceSha256,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ExternalTrainingDecisions {
    Table,
    Id,
    ExternalTrainingId,
    Approved,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum CompletionRecords {
    Table,
    Id,
    UserId,
    /// The course completed (internal records).
    CourseId,
    /// The verified training done elsewhere (external records).
    ExternalTrainingId,
    /// `internal` or `external`.
    Source,
    /// What was completed, as it was called then.
    Title,
    Organiser,
    Category,
    Delivery,
    Jp,
    /// The course grade in percent, when it has one.
    Score,
    StartedOn,
    CompletedAt,
    /// The JP year: the calendar year in Asia/Jakarta of `completed_at`.
    Year,
    /// Room for the certificate that the completion earns.
    CertificateRef,
    /// Set on a reversing record: the record it cancels (with negative JP).
    ReversesId,
    Reason,
    /// Who made a reversing record.
    AuthorId,
    /// What makes the record one of a kind: `course:<course>:<user>`,
    /// `external:<training>`, `reversal:<record>`.
    OnceKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CompletionEvidence {
    Table,
    RecordId,
    CompetencyId,
    Level,
}

#[derive(DeriveIden)]
enum CompetencyAssessments {
    Table,
    Id,
    EmployeeId,
    CompetencyId,
    Level,
    Note,
    AssessedOn,
    AssessorId,
    CreatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(action)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for c in cols {
        index.col(c);
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        manager
            .create_table(
                Table::create()
                    .table(Competencies::Table)
                    .col(pk_uuid(Competencies::Id))
                    .col(string_len_uniq(Competencies::Code, 32))
                    .col(string_len(Competencies::Kind, 32))
                    .col(string_len(Competencies::Name, 200))
                    .col(string_len(Competencies::NameEn, 200).default(""))
                    .col(text(Competencies::Definition).default(""))
                    .col(text(Competencies::DefinitionEn).default(""))
                    .col(timestamp_with_time_zone_null(Competencies::RetiredAt))
                    .col(timestamp_with_time_zone(Competencies::CreatedAt))
                    .col(timestamp_with_time_zone(Competencies::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencyLevels::Table)
                    .col(uuid(CompetencyLevels::CompetencyId))
                    .col(small_integer(CompetencyLevels::Level))
                    .col(text(CompetencyLevels::Description).default(""))
                    .col(text(CompetencyLevels::DescriptionEn).default(""))
                    .col(text(CompetencyLevels::Indicators).default(""))
                    .primary_key(
                        Index::create()
                            .col(CompetencyLevels::CompetencyId)
                            .col(CompetencyLevels::Level),
                    )
                    .foreign_key(&mut fk(
                        (CompetencyLevels::Table, CompetencyLevels::CompetencyId),
                        (Competencies::Table, Competencies::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PositionRequirements::Table)
                    .col(uuid(PositionRequirements::PositionId))
                    .col(uuid(PositionRequirements::CompetencyId))
                    .col(small_integer(PositionRequirements::Level))
                    .primary_key(
                        Index::create()
                            .col(PositionRequirements::PositionId)
                            .col(PositionRequirements::CompetencyId),
                    )
                    .foreign_key(&mut fk(
                        (
                            PositionRequirements::Table,
                            PositionRequirements::PositionId,
                        ),
                        (Positions::Table, Positions::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (
                            PositionRequirements::Table,
                            PositionRequirements::CompetencyId,
                        ),
                        (Competencies::Table, Competencies::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CourseCompetencies::Table)
                    .col(uuid(CourseCompetencies::CourseId))
                    .col(uuid(CourseCompetencies::CompetencyId))
                    .col(small_integer(CourseCompetencies::Level))
                    .primary_key(
                        Index::create()
                            .col(CourseCompetencies::CourseId)
                            .col(CourseCompetencies::CompetencyId),
                    )
                    .foreign_key(&mut fk(
                        (CourseCompetencies::Table, CourseCompetencies::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (CourseCompetencies::Table, CourseCompetencies::CompetencyId),
                        (Competencies::Table, Competencies::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_course_competencies_competency",
            CourseCompetencies::Table,
            vec![CourseCompetencies::CompetencyId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExternalTrainings::Table)
                    .col(pk_uuid(ExternalTrainings::Id))
                    .col(uuid(ExternalTrainings::UserId))
                    .col(string_len(ExternalTrainings::Title, 300))
                    .col(string_len(ExternalTrainings::Organiser, 200))
                    .col(date(ExternalTrainings::StartOn))
                    .col(date(ExternalTrainings::EndOn))
                    .col(integer(ExternalTrainings::Jp))
                    .col(string_len(ExternalTrainings::Category, 32))
                    .col(string_len(ExternalTrainings::CertificateNumber, 100).default(""))
                    .col(string_len(ExternalTrainings::Status, 16))
                    .col(string_len_null(ExternalTrainings::EvidenceKey, 200))
                    .col(string_len_null(ExternalTrainings::EvidenceFileName, 255))
                    .col(string_len_null(ExternalTrainings::EvidenceContentType, 100))
                    .col(big_integer_null(ExternalTrainings::EvidenceSize))
                    .col(string_len_null(ExternalTrainings::EvidenceSha256, 64))
                    .col(timestamp_with_time_zone(ExternalTrainings::CreatedAt))
                    .col(timestamp_with_time_zone(ExternalTrainings::UpdatedAt))
                    .foreign_key(&mut fk(
                        (ExternalTrainings::Table, ExternalTrainings::UserId),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_external_trainings_user",
            ExternalTrainings::Table,
            vec![ExternalTrainings::UserId.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_external_trainings_status",
            ExternalTrainings::Table,
            vec![ExternalTrainings::Status.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExternalTrainingDecisions::Table)
                    .col(pk_uuid(ExternalTrainingDecisions::Id))
                    .col(uuid(ExternalTrainingDecisions::ExternalTrainingId))
                    .col(boolean(ExternalTrainingDecisions::Approved))
                    .col(text(ExternalTrainingDecisions::Reason).default(""))
                    .col(uuid(ExternalTrainingDecisions::DecidedBy))
                    .col(timestamp_with_time_zone(
                        ExternalTrainingDecisions::DecidedAt,
                    ))
                    .foreign_key(&mut fk(
                        (
                            ExternalTrainingDecisions::Table,
                            ExternalTrainingDecisions::ExternalTrainingId,
                        ),
                        (ExternalTrainings::Table, ExternalTrainings::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (
                            ExternalTrainingDecisions::Table,
                            ExternalTrainingDecisions::DecidedBy,
                        ),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_external_training_decisions_training",
            ExternalTrainingDecisions::Table,
            vec![ExternalTrainingDecisions::ExternalTrainingId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CompletionRecords::Table)
                    .col(pk_uuid(CompletionRecords::Id))
                    .col(uuid(CompletionRecords::UserId))
                    .col(uuid_null(CompletionRecords::CourseId))
                    .col(uuid_null(CompletionRecords::ExternalTrainingId))
                    .col(string_len(CompletionRecords::Source, 16))
                    .col(string_len(CompletionRecords::Title, 300))
                    .col(string_len(CompletionRecords::Organiser, 200).default(""))
                    .col(string_len(CompletionRecords::Category, 32))
                    .col(string_len(CompletionRecords::Delivery, 32).default(""))
                    .col(integer(CompletionRecords::Jp))
                    .col(integer_null(CompletionRecords::Score))
                    .col(date_null(CompletionRecords::StartedOn))
                    .col(timestamp_with_time_zone(CompletionRecords::CompletedAt))
                    .col(integer(CompletionRecords::Year))
                    .col(string_len_null(CompletionRecords::CertificateRef, 100))
                    .col(uuid_null(CompletionRecords::ReversesId))
                    .col(text_null(CompletionRecords::Reason))
                    .col(uuid_null(CompletionRecords::AuthorId))
                    .col(string_len_uniq(CompletionRecords::OnceKey, 120))
                    .col(timestamp_with_time_zone(CompletionRecords::CreatedAt))
                    .foreign_key(&mut fk(
                        (CompletionRecords::Table, CompletionRecords::UserId),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (CompletionRecords::Table, CompletionRecords::CourseId),
                        (Courses::Table, Courses::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (
                            CompletionRecords::Table,
                            CompletionRecords::ExternalTrainingId,
                        ),
                        (ExternalTrainings::Table, ExternalTrainings::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (CompletionRecords::Table, CompletionRecords::ReversesId),
                        (CompletionRecords::Table, CompletionRecords::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (CompletionRecords::Table, CompletionRecords::AuthorId),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_completion_records_reverses",
            CompletionRecords::Table,
            vec![CompletionRecords::ReversesId.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_completion_records_user_year",
            CompletionRecords::Table,
            vec![
                CompletionRecords::UserId.into_iden(),
                CompletionRecords::Year.into_iden(),
            ],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompletionEvidence::Table)
                    .col(uuid(CompletionEvidence::RecordId))
                    .col(uuid(CompletionEvidence::CompetencyId))
                    .col(small_integer(CompletionEvidence::Level))
                    .primary_key(
                        Index::create()
                            .col(CompletionEvidence::RecordId)
                            .col(CompletionEvidence::CompetencyId),
                    )
                    .foreign_key(&mut fk(
                        (CompletionEvidence::Table, CompletionEvidence::RecordId),
                        (CompletionRecords::Table, CompletionRecords::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (CompletionEvidence::Table, CompletionEvidence::CompetencyId),
                        (Competencies::Table, Competencies::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_completion_evidence_competency",
            CompletionEvidence::Table,
            vec![CompletionEvidence::CompetencyId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CompetencyAssessments::Table)
                    .col(pk_uuid(CompetencyAssessments::Id))
                    .col(uuid(CompetencyAssessments::EmployeeId))
                    .col(uuid(CompetencyAssessments::CompetencyId))
                    .col(small_integer(CompetencyAssessments::Level))
                    .col(text(CompetencyAssessments::Note).default(""))
                    .col(date(CompetencyAssessments::AssessedOn))
                    .col(uuid(CompetencyAssessments::AssessorId))
                    .col(timestamp_with_time_zone(CompetencyAssessments::CreatedAt))
                    .foreign_key(&mut fk(
                        (
                            CompetencyAssessments::Table,
                            CompetencyAssessments::EmployeeId,
                        ),
                        (Employees::Table, Employees::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (
                            CompetencyAssessments::Table,
                            CompetencyAssessments::CompetencyId,
                        ),
                        (Competencies::Table, Competencies::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (
                            CompetencyAssessments::Table,
                            CompetencyAssessments::AssessorId,
                        ),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_competency_assessments_employee",
            CompetencyAssessments::Table,
            vec![CompetencyAssessments::EmployeeId.into_iden()],
        )
        .await?;

        backfill_completions(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CompetencyAssessments::Table.into_iden(),
            CompletionEvidence::Table.into_iden(),
            CompletionRecords::Table.into_iden(),
            ExternalTrainingDecisions::Table.into_iden(),
            ExternalTrainings::Table.into_iden(),
            CourseCompetencies::Table.into_iden(),
            PositionRequirements::Table.into_iden(),
            CompetencyLevels::Table.into_iden(),
            Competencies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Asia/Jakarta is UTC+7 all year.
const WIB_SECONDS: i64 = 7 * 3600;

/// One internal completion record per enrolment completed before records existed, with
/// the course as it is now (no competency evidence: courses award none yet).
async fn backfill_completions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use chrono::Datelike;
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT e.user_id, e.course_id, e.completed_at, e.grade_percent, e.enrolled_at, \
                    c.title, c.category, c.delivery, c.jp \
             FROM enrolments e JOIN courses c ON c.id = e.course_id \
             WHERE e.completed_at IS NOT NULL",
        ))
        .await?;
    for row in rows {
        let user_id: uuid::Uuid = row.try_get("", "user_id")?;
        let course_id: uuid::Uuid = row.try_get("", "course_id")?;
        let completed_at: chrono::DateTime<chrono::Utc> = row.try_get("", "completed_at")?;
        let enrolled_at: chrono::DateTime<chrono::Utc> = row.try_get("", "enrolled_at")?;
        let wib = chrono::Duration::seconds(WIB_SECONDS);
        let year = (completed_at + wib).year();
        let title: String = row.try_get("", "title")?;
        let insert = Query::insert()
            .into_table(CompletionRecords::Table)
            .columns([
                CompletionRecords::Id,
                CompletionRecords::UserId,
                CompletionRecords::CourseId,
                CompletionRecords::Source,
                CompletionRecords::Title,
                CompletionRecords::Category,
                CompletionRecords::Delivery,
                CompletionRecords::Jp,
                CompletionRecords::Score,
                CompletionRecords::StartedOn,
                CompletionRecords::CompletedAt,
                CompletionRecords::Year,
                CompletionRecords::OnceKey,
                CompletionRecords::CreatedAt,
            ])
            .values_panic([
                uuid::Uuid::now_v7().into(),
                user_id.into(),
                course_id.into(),
                "internal".into(),
                title.chars().take(300).collect::<String>().into(),
                row.try_get::<String>("", "category")?.into(),
                row.try_get::<String>("", "delivery")?.into(),
                row.try_get::<i32>("", "jp")?.into(),
                row.try_get::<Option<i32>>("", "grade_percent")?.into(),
                (enrolled_at + wib).date_naive().into(),
                completed_at.into(),
                year.into(),
                format!("course:{course_id}:{user_id}").into(),
                chrono::Utc::now().into(),
            ])
            .to_owned();
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}
