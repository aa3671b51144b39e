//! The demo organisation of DOMAIN.md: a slice of DKI Jakarta's units, positions and
//! employees with one admin, one unit admin, one instructor, one mentor and five learners,
//! the competencies their positions require and the evidence they have.

mod competencies;
mod courses;
mod quizzes;
pub mod scale;

use mahir_content::store::MaterialStore;
use rand::{RngExt, seq::IndexedRandom};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

use crate::{
    auth::{
        principal::{OrgScope, Role},
        service as accounts,
    },
    entities::users,
    error::AppResult,
    org::{
        employees::{self, EmployeeInput},
        units::{self, UnitInput},
    },
};

/// (code, name, English name, kind, parent code)
const UNITS: [(&str, &str, &str, &str, Option<&str>); 7] = [
    (
        "BPSDM",
        "Badan Pengembangan Sumber Daya Manusia",
        "Human Resources Development Agency",
        "skpd",
        None,
    ),
    (
        "DISKOMINFOTIK",
        "Dinas Komunikasi, Informatika dan Statistik",
        "Communication, Informatics and Statistics Agency",
        "skpd",
        None,
    ),
    (
        "DISKOMINFOTIK-STAT",
        "Bidang Statistik",
        "Statistics Division",
        "bidang",
        Some("DISKOMINFOTIK"),
    ),
    ("DINKES", "Dinas Kesehatan", "Health Agency", "skpd", None),
    (
        "SUDINKES-JS",
        "Suku Dinas Kesehatan Jakarta Selatan",
        "South Jakarta Health Sub-agency",
        "suku_dinas",
        Some("DINKES"),
    ),
    (
        "PKM-TEBET",
        "Puskesmas Kecamatan Tebet",
        "Tebet District Health Centre",
        "puskesmas",
        Some("SUDINKES-JS"),
    ),
    (
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Investment and One-Stop Service Agency",
        "skpd",
        None,
    ),
];

/// (unit code, position name, kind)
const POSITIONS: [(&str, &str, &str); 11] = [
    ("BPSDM", "Kepala Badan", "jpt_pratama"),
    ("BPSDM", "Widyaiswara Ahli Madya", "jf_ahli_madya"),
    (
        "BPSDM",
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "jf_ahli_muda",
    ),
    ("DISKOMINFOTIK", "Kepala Dinas", "jpt_pratama"),
    (
        "DISKOMINFOTIK",
        "Pranata Komputer Ahli Pertama",
        "jf_ahli_pertama",
    ),
    ("DISKOMINFOTIK", "Pengadministrasi Umum", "pelaksana"),
    (
        "DISKOMINFOTIK-STAT",
        "Kepala Bidang Statistik",
        "administrator",
    ),
    (
        "DISKOMINFOTIK-STAT",
        "Statistisi Ahli Pertama",
        "jf_ahli_pertama",
    ),
    ("PKM-TEBET", "Perawat Ahli Pertama", "jf_ahli_pertama"),
    ("DPMPTSP", "Pengadministrasi Umum", "pelaksana"),
    ("DPMPTSP", "Analis Perizinan", "pelaksana"),
];

/// (username, name, NIP, unit code, position, grade, supervisor username, extra role)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<Role>,
);

const PEOPLE: [Person; 9] = [
    (
        "admin",
        "Admin Sistem Mahir",
        "197803152003121002",
        "BPSDM",
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "IV/a",
        None,
        Some(Role::Admin),
    ),
    (
        "unitadmin",
        "Rina Wulandari",
        "198104222006042003",
        "DISKOMINFOTIK",
        "Kepala Dinas",
        "IV/b",
        None,
        Some(Role::UnitAdmin),
    ),
    (
        "instructor",
        "Dr. Hendra Gunawan",
        "197511082000031004",
        "BPSDM",
        "Widyaiswara Ahli Madya",
        "IV/b",
        None,
        Some(Role::Instructor),
    ),
    (
        "mentor",
        "Siti Rahmawati",
        "198207172008012005",
        "DISKOMINFOTIK-STAT",
        "Kepala Bidang Statistik",
        "III/d",
        Some("unitadmin"),
        None,
    ),
    (
        "learner1",
        "Budi Santoso",
        "199003142015031006",
        "DISKOMINFOTIK",
        "Pranata Komputer Ahli Pertama",
        "III/a",
        Some("unitadmin"),
        None,
    ),
    (
        "learner2",
        "Dewi Lestari",
        "199205202017032007",
        "DISKOMINFOTIK-STAT",
        "Statistisi Ahli Pertama",
        "III/a",
        Some("mentor"),
        None,
    ),
    (
        "learner3",
        "Agus Prasetyo",
        "199406112019031008",
        "PKM-TEBET",
        "Perawat Ahli Pertama",
        "III/a",
        None,
        None,
    ),
    (
        "learner4",
        "Maya Sari",
        "199512012020122009",
        "DPMPTSP",
        "Pengadministrasi Umum",
        "II/c",
        None,
        None,
    ),
    (
        "learner5",
        "Rizky Pratama",
        "199708252022031010",
        "DISKOMINFOTIK",
        "Pengadministrasi Umum",
        "II/a",
        Some("unitadmin"),
        None,
    ),
];

/// The demo logins and the password they share.
#[derive(Debug, Clone)]
pub struct DemoLogins {
    /// Usernames with a short description.
    pub accounts: Vec<(&'static str, &'static str)>,
    /// The shared password.
    pub password: String,
}

/// A random password that passes the policy, for when `MAHIR_DEMO_PASSWORD` is unset.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let mut s = String::from("mahir-");
    for _ in 0..12 {
        s.push(char::from(*ALPHABET.choose(&mut rng).unwrap_or(&b'x')));
    }
    s.push(char::from(b'2' + rng.random_range(0..8u8)));
    s
}

/// Whether the database has no accounts yet (a fresh installation).
pub async fn is_empty(db: &impl ConnectionTrait) -> AppResult<bool> {
    Ok(users::Entity::find().count(db).await? == 0)
}

/// Loads the demo organisation and its courses; fails with a 409 `duplicate` if it is
/// already there. Generated materials go to `store`.
pub async fn load(
    db: &impl ConnectionTrait,
    store: &MaterialStore,
    password: &str,
) -> AppResult<DemoLogins> {
    let logins = load_organisation(db, password).await?;
    courses::load(db, store).await?;
    competencies::load_evidence(db).await?;
    Ok(logins)
}

/// Loads the demo organisation alone: units, positions and the demo accounts with their
/// roles, no courses (a small fixture for tests that need no courses).
pub async fn load_organisation(db: &impl ConnectionTrait, password: &str) -> AppResult<DemoLogins> {
    let all = OrgScope::All;
    // Seeding runs before any test moves a clock: the system clock is the one.
    let today = crate::time::Clock::default().today_wib();
    for (code, name, name_en, kind, parent) in UNITS {
        let parent_id = match parent {
            Some(p) => units::by_code(db, &all, p).await?.map(|u| u.id),
            None => None,
        };
        units::create(
            db,
            &all,
            &UnitInput {
                code: code.to_owned(),
                name: name.to_owned(),
                name_en: name_en.to_owned(),
                kind: kind.to_owned(),
                parent_id,
            },
        )
        .await?;
    }
    for (unit, name, kind) in POSITIONS {
        let unit = units::by_code(db, &all, unit)
            .await?
            .ok_or(crate::error::AppError::NotFound)?;
        units::create_position(db, &all, unit.id, name, kind).await?;
    }
    let mut employee_ids = std::collections::HashMap::new();
    for (username, name, nip, unit, position, grade, supervisor, role) in PEOPLE {
        let unit = units::by_code(db, &all, unit)
            .await?
            .ok_or(crate::error::AppError::NotFound)?;
        let position_id = units::positions_of(db, unit.id)
            .await?
            .into_iter()
            .find(|p| p.name == position)
            .map(|p| p.id);
        let created = employees::create(
            db,
            today,
            &all,
            &EmployeeInput {
                nip: nip.to_owned(),
                name: name.to_owned(),
                username: username.to_owned(),
                unit_id: Some(unit.id),
                position_id,
                grade: grade.to_owned(),
                email: format!("{username}@mahir.jakarta.go.id"),
                nrk: String::new(),
                supervisor_id: supervisor.and_then(|s| employee_ids.get(s).copied()),
                password: password.to_owned(),
            },
        )
        .await?;
        employee_ids.insert(username, created.id);
        if let Some(role) = role {
            let scope_unit = (role == Role::UnitAdmin).then_some(unit.id);
            accounts::grant_role(db, created.user_id, role, scope_unit).await?;
        }
    }
    Ok(DemoLogins {
        accounts: vec![
            ("admin", "Admin"),
            (
                "unitadmin",
                "Admin unit — Dinas Komunikasi, Informatika dan Statistik",
            ),
            ("instructor", "Instruktur / widyaiswara"),
            ("mentor", "Mentor — Kepala Bidang Statistik"),
            ("learner1", "Peserta — Pranata Komputer"),
            ("learner2", "Peserta — Statistisi"),
            ("learner3", "Peserta — Perawat, Puskesmas Tebet"),
            ("learner4", "Peserta — DPMPTSP"),
            ("learner5", "Peserta — Pengadministrasi Umum"),
        ],
        password: password.to_owned(),
    })
}

/// Prints the URL and the demo logins to the console.
pub fn print_logins(base_url: &str, logins: &DemoLogins) {
    println!();
    println!("  Mahir demo organisation loaded.");
    println!("  Open {base_url} and log in with one of these accounts:");
    for (user, what) in &logins.accounts {
        println!("    {user:<12} {what}");
    }
    println!("  Password for every demo account: {}", logins.password);
    println!();
}
