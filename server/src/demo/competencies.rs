//! The demo's competencies: the technical ones of its sectors, what each demo position
//! requires (DOMAIN.md's examples), what each demo course develops, an assessment by the
//! mentor and two trainings done elsewhere (one verified, one pending).

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use crate::{
    auth::principal::OrgScope,
    competency::{
        dictionary::{self, CodeLevel, CompetencyInput, LevelText},
        model::ExternalStatus,
        requirements,
    },
    courses::model::Category,
    entities::{competency_assessments, external_training_decisions, external_trainings},
    error::{AppError, AppResult},
    org::units,
    time::stamp,
};

/// (code, name, English name, definition, level descriptions 1–5)
type Technical = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 5],
);

const TECHNICAL: [Technical; 4] = [
    (
        "T.KI",
        "Keamanan Informasi",
        "Information Security",
        "Menjaga kerahasiaan, keutuhan dan ketersediaan informasi dan sistem pemerintah.",
        [
            "Mengenali ancaman umum (phishing, kata sandi lemah) dan melaporkannya.",
            "Menerapkan kebijakan keamanan dalam pekerjaan sehari-hari dan membimbing rekan.",
            "Menilai risiko keamanan sistem unit dan merancang pengendaliannya.",
            "Memimpin penanganan insiden dan audit keamanan lintas unit.",
            "Menetapkan kebijakan dan arsitektur keamanan informasi provinsi.",
        ],
    ),
    (
        "T.PD",
        "Pengelolaan Data",
        "Data Management",
        "Mengumpulkan, mengolah, menganalisis dan menyajikan data untuk keputusan.",
        [
            "Mengisi dan merapikan data sesuai format yang ditetapkan.",
            "Mengolah dan menganalisis data dengan lembar kerja dan menyajikannya.",
            "Merancang pengumpulan data dan analisis statistik untuk unit.",
            "Membangun tata kelola dan integrasi data lintas unit.",
            "Menetapkan kebijakan satu data dan standar data provinsi.",
        ],
    ),
    (
        "T.KGD",
        "Prosedur Kegawatdaruratan Medis",
        "Medical Emergency Procedures",
        "Memberikan pertolongan pada kegawatdaruratan medis sesuai prosedur.",
        [
            "Mengenali keadaan gawat darurat dan memanggil bantuan.",
            "Melakukan pertolongan pertama dan resusitasi jantung paru sesuai prosedur.",
            "Memimpin tim penanganan gawat darurat di fasilitas kesehatan.",
            "Menyusun prosedur dan pelatihan kegawatdaruratan untuk wilayah.",
            "Menetapkan sistem penanggulangan gawat darurat terpadu provinsi.",
        ],
    ),
    (
        "T.PP",
        "Pelayanan Perizinan",
        "Licensing Services",
        "Melayani permohonan izin dan nonizin secara benar, cepat dan transparan.",
        [
            "Menerima dan memeriksa kelengkapan berkas permohonan.",
            "Memproses permohonan sesuai standar pelayanan dan menjelaskannya kepada pemohon.",
            "Menangani permohonan yang rumit dan pengaduan perizinan.",
            "Menyederhanakan proses dan standar pelayanan perizinan unit.",
            "Menetapkan kebijakan perizinan terpadu provinsi.",
        ],
    ),
];

const MANAGERIAL: [&str; 8] = [
    "M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08",
];

/// Competency codes with levels.
type Levels = &'static [(&'static str, i64)];

/// (unit code, position, requirements)
const REQUIREMENTS: [(&str, &str, Levels); 11] = [
    (
        "BPSDM",
        "Kepala Badan",
        &[("M.01", 4), ("M.08", 4), ("SK.01", 4)],
    ),
    (
        "BPSDM",
        "Widyaiswara Ahli Madya",
        &[("M.03", 4), ("M.06", 4), ("SK.01", 3)],
    ),
    (
        "BPSDM",
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        &[("M.04", 3), ("T.PD", 3)],
    ),
    (
        "DISKOMINFOTIK",
        "Kepala Dinas",
        &[("M.01", 4), ("M.08", 4), ("SK.01", 4), ("T.KI", 3)],
    ),
    // Pranata Komputer Ahli Pertama: the managerial ones at 2 are added below.
    (
        "DISKOMINFOTIK",
        "Pranata Komputer Ahli Pertama",
        &[("T.PD", 2), ("T.KI", 2)],
    ),
    // Pengadministrasi Umum (pelaksana): the managerial ones at 1, added below.
    ("DISKOMINFOTIK", "Pengadministrasi Umum", &[]),
    (
        "DISKOMINFOTIK-STAT",
        "Kepala Bidang Statistik",
        &[("M.01", 3), ("M.04", 3), ("M.08", 3), ("T.PD", 3)],
    ),
    (
        "DISKOMINFOTIK-STAT",
        "Statistisi Ahli Pertama",
        &[("T.PD", 2), ("M.04", 2)],
    ),
    (
        "PKM-TEBET",
        "Perawat Ahli Pertama",
        &[("T.KGD", 2), ("M.05", 2)],
    ),
    ("DPMPTSP", "Pengadministrasi Umum", &[]),
    ("DPMPTSP", "Analis Perizinan", &[("T.PP", 2), ("M.05", 2)]),
];

/// (course code, awards)
const AWARDS: [(&str, Levels); 4] = [
    ("KI-ASN", &[("T.KI", 2)]),
    ("PPP", &[("M.05", 2)]),
    ("DADS", &[("T.PD", 2)]),
    ("PPGD", &[("T.KGD", 2)]),
];

/// The technical competencies, every position's requirements and every course's awards
/// (run after the organisation and the courses, before anyone learns).
pub async fn load(db: &impl ConnectionTrait) -> AppResult<()> {
    for (code, name, name_en, definition, levels) in TECHNICAL {
        dictionary::create(
            db,
            &CompetencyInput {
                code: code.to_owned(),
                kind: "teknis".to_owned(),
                name: name.to_owned(),
                name_en: name_en.to_owned(),
                definition: definition.to_owned(),
                definition_en: String::new(),
                levels: (1i16..)
                    .zip(levels)
                    .map(|(level, d)| LevelText {
                        level,
                        description: d.to_owned(),
                        ..Default::default()
                    })
                    .collect(),
            },
        )
        .await?;
    }
    for (unit, position, list) in REQUIREMENTS {
        let unit = units::by_code(db, &OrgScope::All, unit)
            .await?
            .ok_or(AppError::NotFound)?;
        let position = units::positions_of(db, unit.id)
            .await?
            .into_iter()
            .find(|p| p.name == position)
            .ok_or(AppError::NotFound)?;
        let mut pairs: Vec<CodeLevel> = list
            .iter()
            .map(|(code, level)| CodeLevel {
                code: (*code).to_owned(),
                level: *level,
            })
            .collect();
        let managerial = match position.kind {
            crate::org::model::PositionKind::Pelaksana => Some(1),
            _ if position.name == "Pranata Komputer Ahli Pertama" => Some(2),
            _ => None,
        };
        if let Some(level) = managerial {
            // A level named for the position wins over the common one.
            let named: Vec<String> = pairs.iter().map(|p| p.code.clone()).collect();
            pairs.extend(
                MANAGERIAL
                    .iter()
                    .filter(|code| !named.iter().any(|n| n == *code))
                    .map(|code| CodeLevel {
                        code: (*code).to_owned(),
                        level,
                    }),
            );
        }
        requirements::replace_position(db, position.id, &pairs).await?;
    }
    for (code, list) in AWARDS {
        let course = super::quizzes::course(db, code).await?;
        let pairs: Vec<CodeLevel> = list
            .iter()
            .map(|(code, level)| CodeLevel {
                code: (*code).to_owned(),
                level: *level,
            })
            .collect();
        requirements::replace_course(db, course.id, &pairs).await?;
    }
    Ok(())
}

async fn employee_of(db: &impl ConnectionTrait, username: &str) -> AppResult<(Uuid, Uuid)> {
    let user = crate::auth::service::find_by_username(db, username)
        .await?
        .ok_or(AppError::NotFound)?;
    let employee = crate::org::employees::of_user(db, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((user.id, employee.employee.id))
}

/// The learners' evidence beyond their courses: the mentor's assessment of Dewi, a
/// verified training elsewhere that brings Budi to this year's 20 JP, and a pending one
/// of Rizky's for his unit admin to decide.
pub async fn load_evidence(db: &impl ConnectionTrait) -> AppResult<()> {
    let now = chrono::Utc::now();
    let today = crate::time::Clock::default().today_wib();
    let (mentor, _) = employee_of(db, "mentor").await?;
    let (_, dewi) = employee_of(db, "learner2").await?;
    let pd = dictionary::by_codes(db, &["T.PD".to_owned()])
        .await?
        .remove("T.PD")
        .ok_or(AppError::NotFound)?;
    competency_assessments::ActiveModel {
        id: Set(Uuid::now_v7()),
        employee_id: Set(dewi),
        competency_id: Set(pd.id),
        level: Set(1),
        note: Set(
            "Mengolah data survei bulanan dengan rapi; analisis dan penyajian masih perlu dilatih."
                .to_owned(),
        ),
        assessed_on: Set(today - Duration::days(10)),
        assessor_id: Set(mentor),
        created_at: Set(stamp()),
    }
    .insert(db)
    .await?;

    let (admin, _) = employee_of(db, "unitadmin").await?;
    let (budi, _) = employee_of(db, "learner1").await?;
    // Earlier this year (or today, in the first days of January).
    let start = (today - Duration::days(40)).max(
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today),
    );
    let end = (start + Duration::days(1)).min(today);
    let verified = external(
        db,
        budi,
        "Workshop Pengamanan Aplikasi Web",
        "Badan Siber dan Sandi Negara",
        start,
        end,
        10,
        Category::Technical,
        "BSSN/WS/2026/0412",
        ExternalStatus::Verified,
    )
    .await?;
    external_training_decisions::ActiveModel {
        id: Set(Uuid::now_v7()),
        external_training_id: Set(verified.id),
        approved: Set(true),
        reason: Set("Sertifikat sesuai.".to_owned()),
        decided_by: Set(admin),
        decided_at: Set(now),
    }
    .insert(db)
    .await?;
    crate::competency::external::record(db, &verified).await?;
    let (rizky, _) = employee_of(db, "learner5").await?;
    external(
        db,
        rizky,
        "Bimbingan Teknis Tata Naskah Dinas Elektronik",
        "Arsip Nasional Republik Indonesia",
        end,
        end,
        6,
        Category::Other,
        "ANRI/BIMTEK/2026/118",
        ExternalStatus::Pending,
    )
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn external(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    title: &str,
    organiser: &str,
    start_on: chrono::NaiveDate,
    end_on: chrono::NaiveDate,
    jp: i32,
    category: Category,
    certificate_number: &str,
    status: ExternalStatus,
) -> AppResult<external_trainings::Model> {
    let at = stamp();
    Ok(external_trainings::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        title: Set(title.to_owned()),
        organiser: Set(organiser.to_owned()),
        start_on: Set(start_on),
        end_on: Set(end_on),
        jp: Set(jp),
        category: Set(category),
        certificate_number: Set(certificate_number.to_owned()),
        status: Set(status),
        evidence_key: Set(None),
        evidence_file_name: Set(None),
        evidence_content_type: Set(None),
        evidence_size: Set(None),
        evidence_sha256: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await?)
}
