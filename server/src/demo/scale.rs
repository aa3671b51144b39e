//! `mahir demo --scale N`: an organisation of N employees for benchmarks — one
//! province, 40 agencies, 240 divisions and 720 sections (1,001 units), two positions per
//! unit with competency requirements, 500 published courses, about 43 enrolments per
//! employee over the last two years (70 % completed, with their completion records and,
//! for a tenth of the courses, competency evidence), and 250 assignments to agencies
//! with due dates this year. Rows are inserted in batches inside a few large
//! transactions, not one request per row; the same data on SQLite and PostgreSQL.

use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    auth::principal::Role,
    courses::model::{Category, Delivery, EnrolmentMode, Status},
    entities::{
        assignments, competencies, completion_evidence, completion_records, courses, employees,
        enrolments, position_requirements, positions, user_roles, users,
    },
    error::AppResult,
    org::model::{PositionKind, UnitKind},
};

/// Rows per `INSERT`.
const ROWS: usize = 1000;
/// Rows per write transaction.
const TXN_ROWS: usize = 50_000;
/// Courses.
const COURSES: usize = 500;
/// Enrolments per employee.
const PER_PERSON: usize = 43;

/// What was built, and how long each part took.
#[derive(Debug, Default)]
pub struct Built {
    /// Rows by table.
    pub rows: Vec<(&'static str, usize)>,
    /// Seconds in all.
    pub seconds: f64,
}

/// A small deterministic generator (SplitMix64), so a scale database is the same each time.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const FIRST: [&str; 16] = [
    "Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hana", "Indra", "Joko", "Kartika",
    "Lestari", "Maya", "Nur", "Putri", "Rizky",
];
const LAST: [&str; 16] = [
    "Santoso",
    "Wijaya",
    "Pratama",
    "Lestari",
    "Hidayat",
    "Saputra",
    "Kusuma",
    "Rahmawati",
    "Nugroho",
    "Siregar",
    "Simanjuntak",
    "Harahap",
    "Wibowo",
    "Sari",
    "Putra",
    "Utami",
];
const TOPICS: [&str; 10] = [
    "Pelayanan Publik",
    "Keamanan Informasi",
    "Pengelolaan Keuangan Daerah",
    "Analisis Data",
    "Kepemimpinan Pengawas",
    "Manajemen Risiko",
    "Pengadaan Barang dan Jasa",
    "Etika ASN",
    "Penyusunan Anggaran",
    "Arsip Digital",
];

/// Inserts `rows` in batches, committing every [`TXN_ROWS`].
async fn bulk<A>(db: &DatabaseConnection, rows: Vec<A>) -> AppResult<usize>
where
    A: sea_orm::ActiveModelTrait + Send + Sync + Clone,
    <A as sea_orm::ActiveModelTrait>::Entity: EntityTrait,
{
    let n = rows.len();
    for txn_rows in rows.chunks(TXN_ROWS) {
        let txn = crate::db::begin_write(db).await?;
        for chunk in txn_rows.chunks(ROWS) {
            <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(n)
}

/// A valid NIP for employee `i`: birth date, appointment month, sex, sequence.
fn nip(i: usize) -> String {
    let birth = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
        + Duration::days(i64::try_from(i / 999).unwrap_or(0) * 3);
    let seq = i % 999 + 1;
    let appointed = birth.year() + 22 + i32::try_from(i % 5).unwrap_or(0);
    format!(
        "{}{:04}{:02}{}{:03}",
        birth.format("%Y%m%d"),
        appointed,
        i % 12 + 1,
        i % 2 + 1,
        seq
    )
}

/// Builds the scale organisation with `people` employees; the accounts `admin` and
/// `unitadmin` (of the first agency) log in with `password`.
pub async fn build(db: &DatabaseConnection, people: usize, password: &str) -> AppResult<Built> {
    let start = Instant::now();
    let now: DateTime<Utc> = crate::time::stamp();
    let mut mix = Mix(0x004d_4148_4952);
    let hash = crate::auth::password::hash(password).map_err(crate::error::AppError::Internal)?;
    let mut built = Built::default();

    // Units: a province, 40 agencies, 6 divisions each, 3 sections each.
    let mut unit_rows = Vec::new();
    let mut agencies = Vec::new();
    let mut leaves = Vec::new();
    let mut all_units = Vec::new();
    let unit = |id: Uuid,
                code: String,
                name: String,
                kind: UnitKind,
                parent: Option<Uuid>,
                path: String| {
        crate::entities::units::ActiveModel {
            id: Set(id),
            code: Set(code),
            name: Set(name),
            name_en: Set(None),
            kind: Set(kind),
            parent_id: Set(parent),
            path: Set(path),
            created_at: Set(now),
            updated_at: Set(now),
        }
    };
    let root = Uuid::now_v7();
    let root_path = format!("/{}/", root.simple());
    unit_rows.push(unit(
        root,
        "PROV".into(),
        "Pemerintah Provinsi DKI Jakarta".into(),
        UnitKind::Skpd,
        None,
        root_path.clone(),
    ));
    all_units.push(root);
    for a in 0..40 {
        let id = Uuid::now_v7();
        let path = format!("{root_path}{}/", id.simple());
        unit_rows.push(unit(
            id,
            format!("SKPD-{a:02}"),
            format!("Dinas {} {}", TOPICS[a % 10], a + 1),
            UnitKind::Skpd,
            Some(root),
            path.clone(),
        ));
        agencies.push(id);
        all_units.push(id);
        for d in 0..6 {
            let did = Uuid::now_v7();
            let dpath = format!("{path}{}/", did.simple());
            unit_rows.push(unit(
                did,
                format!("SKPD-{a:02}-B{d}"),
                format!("Bidang {} {}", d + 1, a + 1),
                UnitKind::Bidang,
                Some(id),
                dpath.clone(),
            ));
            all_units.push(did);
            for s in 0..3 {
                let sid = Uuid::now_v7();
                let spath = format!("{dpath}{}/", sid.simple());
                unit_rows.push(unit(
                    sid,
                    format!("SKPD-{a:02}-B{d}-S{s}"),
                    format!("Seksi {} Bidang {} {}", s + 1, d + 1, a + 1),
                    UnitKind::Upt,
                    Some(did),
                    spath,
                ));
                all_units.push(sid);
                leaves.push(sid);
            }
        }
    }
    built.rows.push(("units", bulk(db, unit_rows).await?));

    // Positions and what they require.
    let standard: Vec<Uuid> = competencies::Entity::find()
        .filter(competencies::Column::Code.starts_with("M."))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut position_rows = Vec::new();
    let mut requirement_rows = Vec::new();
    let mut positions_of: Vec<(Uuid, [Uuid; 2])> = Vec::new();
    for (n, u) in all_units.iter().enumerate() {
        let ids = [Uuid::now_v7(), Uuid::now_v7()];
        for (k, id) in ids.iter().enumerate() {
            position_rows.push(positions::ActiveModel {
                id: Set(*id),
                unit_id: Set(*u),
                name: Set(if k == 0 {
                    format!("Kepala Unit {}", n + 1)
                } else {
                    format!("Analis {}", n + 1)
                }),
                kind: Set(if k == 0 {
                    PositionKind::Administrator
                } else {
                    PositionKind::JfAhliPertama
                }),
                created_at: Set(now),
            });
            if !standard.is_empty() {
                for r in 0..3 {
                    requirement_rows.push(position_requirements::ActiveModel {
                        position_id: Set(*id),
                        competency_id: Set(standard[(n + k * 3 + r) % standard.len()]),
                        level: Set(i16::try_from(2 + (n + r) % 2).unwrap_or(2)),
                    });
                }
            }
        }
        positions_of.push((*u, ids));
    }
    built
        .rows
        .push(("positions", bulk(db, position_rows).await?));
    built
        .rows
        .push(("position_requirements", bulk(db, requirement_rows).await?));

    // Accounts: the admin, a unit admin, and the employees.
    let account = |id: Uuid, username: String, name: String| users::ActiveModel {
        id: Set(id),
        username: Set(username.clone()),
        display_name: Set(name),
        email: Set(Some(format!("{username}@scale.mahir.test"))),
        password_hash: Set(hash.clone()),
        active: Set(true),
        language: Set("id".into()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let role = |user: Uuid, role: Role, unit: Option<Uuid>| user_roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user),
        role: Set(role.as_str().to_owned()),
        unit_id: Set(unit),
        created_at: Set(now),
    };
    let admin = Uuid::now_v7();
    let unit_admin = Uuid::now_v7();
    let mut user_rows = vec![
        account(admin, "admin".into(), "Admin Provinsi".into()),
        account(unit_admin, "unitadmin".into(), "Admin Dinas 1".into()),
    ];
    let mut role_rows = vec![
        role(admin, Role::Admin, None),
        role(unit_admin, Role::UnitAdmin, Some(agencies[0])),
    ];
    let mut employee_rows = Vec::new();
    let mut user_ids = Vec::with_capacity(people);
    for i in 0..people {
        let id = Uuid::now_v7();
        user_ids.push(id);
        let name = format!("{} {} {}", FIRST[i % 16], LAST[(i / 16) % 16], i);
        user_rows.push(account(id, format!("p{i:06}"), name));
        role_rows.push(role(id, Role::Learner, None));
        let (unit, positions) = positions_of[i % positions_of.len()];
        employee_rows.push(employees::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(id),
            nip: Set(nip(i)),
            nrk: Set(None),
            unit_id: Set(unit),
            position_id: Set(Some(positions[usize::from(i % 10 != 0)])),
            grade_code: Set(Some("III/a".into())),
            supervisor_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    built.rows.push(("users", bulk(db, user_rows).await?));
    built.rows.push(("user_roles", bulk(db, role_rows).await?));
    built
        .rows
        .push(("employees", bulk(db, employee_rows).await?));

    // Courses, some awarding a competency level.
    let mut course_rows = Vec::new();
    let mut course_meta = Vec::new();
    let mut award_rows = Vec::new();
    let categories = [
        Category::Technical,
        Category::Functional,
        Category::Leadership,
        Category::Other,
    ];
    for c in 0..COURSES {
        let id = Uuid::now_v7();
        let jp = i32::try_from(2 + c % 12 * 2).unwrap_or(2);
        let category = categories[c % 4];
        let title = format!("{} {}", TOPICS[c % 10], c / 10 + 1);
        course_rows.push(courses::ActiveModel {
            id: Set(id),
            code: Set(format!("SC-{c:03}")),
            title: Set(title.clone()),
            summary: Set(format!("Pelatihan {title}.")),
            description_md: Set(String::new()),
            category: Set(category),
            jp: Set(jp),
            delivery: Set(Delivery::Elearning),
            cover_material_id: Set(None),
            status: Set(Status::Published),
            enrolment: Set(EnrolmentMode::SelfEnrol),
            revision: Set(1),
            starts_at: Set(None),
            ends_at: Set(None),
            venue: Set(String::new()),
            created_by: Set(admin),
            published_at: Set(Some(now - Duration::days(800))),
            created_at: Set(now - Duration::days(800)),
            updated_at: Set(now - Duration::days(800)),
        });
        let award = (c % 10 == 0 && !standard.is_empty()).then(|| {
            (
                standard[c / 10 % standard.len()],
                i16::try_from(2 + c / 10 % 2).unwrap_or(2),
            )
        });
        if let Some((competency, level)) = award {
            award_rows.push(crate::entities::course_competencies::ActiveModel {
                course_id: Set(id),
                competency_id: Set(competency),
                level: Set(level),
            });
        }
        course_meta.push((id, jp, category, title, award));
    }
    built.rows.push(("courses", bulk(db, course_rows).await?));
    built
        .rows
        .push(("course_competencies", bulk(db, award_rows).await?));

    // Enrolments over two years, 70 % completed, each completion recorded.
    let span = 730 * 86_400;
    let mut enrolment_rows = Vec::new();
    let mut record_rows = Vec::new();
    let mut evidence_rows = Vec::new();
    let mut counts = (0, 0, 0);
    for (i, user) in user_ids.iter().enumerate() {
        for j in 0..PER_PERSON {
            let c = (i + 7 * j) % COURSES;
            let (course, jp, category, title, award) = &course_meta[c];
            let enrolled = now - Duration::seconds(i64::try_from(mix.below(span)).unwrap_or(0));
            let completed = (mix.below(10) < 7)
                .then(|| enrolled + Duration::days(i64::try_from(1 + mix.below(30)).unwrap_or(1)))
                .filter(|t| *t < now);
            enrolment_rows.push(enrolments::ActiveModel {
                id: Set(Uuid::now_v7()),
                course_id: Set(*course),
                user_id: Set(*user),
                source: Set("self".into()),
                progress_percent: Set(if completed.is_some() {
                    100
                } else {
                    i32::try_from(mix.below(90)).unwrap_or(0)
                }),
                last_lesson_id: Set(None),
                grade_percent: Set(None),
                enrolled_at: Set(enrolled),
                last_seen_at: Set(completed.unwrap_or(enrolled)),
                completed_at: Set(completed),
            });
            if let Some(at) = completed {
                let record = Uuid::now_v7();
                record_rows.push(completion_records::ActiveModel {
                    id: Set(record),
                    user_id: Set(*user),
                    course_id: Set(Some(*course)),
                    external_training_id: Set(None),
                    source: Set(crate::competency::model::Source::Internal),
                    title: Set(title.clone()),
                    organiser: Set("BPSDM Provinsi DKI Jakarta".into()),
                    category: Set(*category),
                    delivery: Set("e_learning".into()),
                    jp: Set(*jp),
                    score: Set(None),
                    started_on: Set(Some(crate::time::date_wib(enrolled))),
                    completed_at: Set(at),
                    year: Set(crate::time::year_wib(at)),
                    certificate_ref: Set(None),
                    reverses_id: Set(None),
                    reason: Set(None),
                    author_id: Set(None),
                    once_key: Set(format!("course:{course}:{user}")),
                    created_at: Set(at),
                });
                if let Some((competency, level)) = award {
                    evidence_rows.push(completion_evidence::ActiveModel {
                        record_id: Set(record),
                        competency_id: Set(*competency),
                        level: Set(*level),
                    });
                }
            }
        }
        // Write as we go, so memory stays bounded.
        if enrolment_rows.len() >= TXN_ROWS {
            counts.0 += bulk(db, std::mem::take(&mut enrolment_rows)).await?;
            counts.1 += bulk(db, std::mem::take(&mut record_rows)).await?;
            counts.2 += bulk(db, std::mem::take(&mut evidence_rows)).await?;
        }
    }
    counts.0 += bulk(db, enrolment_rows).await?;
    counts.1 += bulk(db, record_rows).await?;
    counts.2 += bulk(db, evidence_rows).await?;
    built.rows.push(("enrolments", counts.0));
    built.rows.push(("completion_records", counts.1));
    built.rows.push(("completion_evidence", counts.2));

    // Assignments to agencies, due this year (some already past).
    let year = crate::time::year_wib(now);
    let mut assignment_rows = Vec::new();
    for a in 0..250 {
        let due = NaiveDate::from_ymd_opt(year, u32::try_from(1 + a % 12).unwrap_or(1), 15);
        assignment_rows.push(assignments::ActiveModel {
            id: Set(Uuid::now_v7()),
            course_id: Set(course_meta[a * 2 % COURSES].0),
            user_id: Set(None),
            unit_id: Set(Some(agencies[a % agencies.len()])),
            position_id: Set(None),
            due_on: Set(due),
            assigned_by: Set(admin),
            created_at: Set(now - Duration::days(300)),
        });
    }
    built
        .rows
        .push(("assignments", bulk(db, assignment_rows).await?));
    built.seconds = start.elapsed().as_secs_f64();
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nips_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..70_000 {
            let n = nip(i);
            assert_eq!(n.len(), 18, "{n}");
            assert!(
                crate::org::model::Nip::parse(
                    &n,
                    NaiveDate::from_ymd_opt(2026, 12, 8).unwrap_or_default()
                )
                .is_ok(),
                "{n}"
            );
            assert!(seen.insert(n));
        }
    }
}
