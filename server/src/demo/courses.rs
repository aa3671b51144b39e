//! The demo courses of DOMAIN.md with real Indonesian lessons in several modules, a PDF
//! generated at load time, assignments, and demo learners at different stages.

use bytes::Bytes;
use chrono::Duration;
use mahir_content::store::MaterialStore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::{
    auth::{principal::OrgScope, service as accounts},
    courses::{
        access::CourseAccess,
        authoring, enrolment,
        enrolment::AssignTarget,
        materials,
        model::{CourseInput, LessonInput, Status},
        progress::{self, Report},
    },
    entities::{assignments, enrolments, lessons},
    error::{AppError, AppResult},
    org::units,
    time::{Clock, stamp},
};

/// A lesson of a demo course: (title, kind, Markdown, link).
type DemoLesson = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// A demo course: code, title, summary, description, category, JP, delivery, enrolment,
/// modules with their lessons.
struct DemoCourse {
    code: &'static str,
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    category: &'static str,
    jp: i32,
    delivery: &'static str,
    enrolment: &'static str,
    modules: &'static [(&'static str, &'static [DemoLesson])],
    /// A PDF generated for the first document lesson: title and paragraphs.
    pdf: Option<(&'static str, &'static str, &'static [&'static str])>,
}

const KI_PDF: &[&str] = &[
    "Panduan ini merangkum kewajiban setiap Aparatur Sipil Negara di lingkungan Pemerintah Provinsi DKI Jakarta dalam menjaga kerahasiaan, keutuhan, dan ketersediaan informasi.",
    "1. Gunakan kata sandi yang panjang dan berbeda untuk setiap layanan. Frasa sandi dari empat kata acak lebih kuat dan lebih mudah diingat daripada kata pendek dengan simbol.",
    "2. Aktifkan verifikasi dua langkah pada surel dinas dan aplikasi kepegawaian.",
    "3. Jangan membuka lampiran atau tautan dari pengirim yang tidak dikenal. Periksa alamat pengirim dan alamat tautan sebelum mengeklik.",
    "4. Kunci layar komputer setiap kali meninggalkan meja (Windows + L).",
    "5. Simpan dokumen dinas hanya di penyimpanan resmi instansi, bukan di layanan pribadi.",
    "6. Laporkan insiden, seperti surel mencurigakan, perangkat hilang, atau data bocor, kepada tim tanggap insiden (CSIRT) instansi paling lambat 1 x 24 jam.",
    "Klasifikasi informasi: Terbuka (dapat diumumkan), Terbatas (hanya untuk pegawai yang berkepentingan), Rahasia (hanya pejabat yang ditunjuk). Tandai setiap dokumen sesuai klasifikasinya.",
];

const PPGD_PDF: &[&str] = &[
    "Lembar ringkas ini dipakai bersama latihan praktik di kelas. Ikuti urutan Danger - Response - Shout - Airway - Breathing - Circulation (DRS ABC).",
    "Danger: pastikan lokasi aman bagi penolong, korban, dan orang sekitar.",
    "Response: periksa respons korban dengan memanggil dan menepuk bahu.",
    "Shout for help: minta bantuan dan hubungi layanan gawat darurat 112 atau 119.",
    "Airway: buka jalan napas dengan teknik head tilt - chin lift.",
    "Breathing: lihat, dengar, dan rasakan napas selama paling lama 10 detik.",
    "Circulation: bila korban tidak bernapas normal, mulai kompresi dada 100-120 kali per menit dengan kedalaman 5-6 cm.",
];

const COURSES: &[DemoCourse] = &[
    DemoCourse {
        code: "KI-ASN",
        title: "Keamanan Informasi untuk ASN",
        summary: "Mengenali ancaman siber sehari-hari dan melindungi data dinas: kata sandi, phishing, klasifikasi informasi, dan pelaporan insiden.",
        description: "Pelatihan daring ini membekali setiap ASN dengan kebiasaan aman dalam bekerja dengan informasi.\n\n**Sasaran kompetensi:** Keamanan Informasi tingkat 2.\n\nSetelah mengikuti pelatihan ini, peserta mampu:\n\n- mengenali surel *phishing* dan rekayasa sosial;\n- membuat dan mengelola kata sandi yang kuat;\n- mengklasifikasikan dan menyimpan dokumen dinas dengan benar;\n- melaporkan insiden keamanan informasi.",
        category: "teknis",
        jp: 10,
        delivery: "e_learning",
        enrolment: "self",
        modules: &[
            (
                "Mengenal ancaman",
                &[
                    (
                        "Mengapa keamanan informasi penting",
                        "text",
                        "Data kependudukan, kesehatan, dan keuangan daerah dikelola oleh ASN setiap hari. Satu kelalaian kecil, seperti kata sandi yang ditempel di monitor, dapat membuka akses ke ribuan data warga.\n\n## Tiga prinsip dasar\n\n1. **Kerahasiaan**: informasi hanya dibaca oleh yang berhak.\n2. **Keutuhan**: informasi tidak diubah tanpa izin.\n3. **Ketersediaan**: informasi dapat diakses saat dibutuhkan.\n\n> Keamanan informasi bukan hanya urusan tim TI, melainkan tanggung jawab setiap pegawai.",
                        None,
                    ),
                    (
                        "Mengenali phishing",
                        "text",
                        "*Phishing* adalah upaya menipu penerima agar membuka tautan, mengunduh lampiran, atau menyerahkan kata sandi.\n\n### Tanda-tanda surel phishing\n\n- Pengirim mengaku dari instansi resmi, tetapi alamatnya janggal (misalnya `bkd-jakarta@gmail-support.com`).\n- Isi mendesak: *\"Akun Anda akan diblokir dalam 1 jam\"*.\n- Tautan yang tampil berbeda dengan alamat sebenarnya. Arahkan kursor ke tautan sebelum mengeklik.\n- Lampiran berjenis `.exe`, `.js`, atau dokumen yang meminta *Enable macros*.\n\nBila ragu, hubungi pengirim melalui saluran lain dan laporkan surel tersebut ke tim tanggap insiden.",
                        None,
                    ),
                ],
            ),
            (
                "Melindungi data dinas",
                &[
                    (
                        "Kata sandi dan verifikasi dua langkah",
                        "text",
                        "Kata sandi yang kuat itu **panjang** dan **unik**. Frasa seperti `kopi-monas-hujan-sepeda` jauh lebih sulit ditebak daripada `P@ssw0rd1`.\n\n| Kebiasaan | Aman? |\n|---|---|\n| Satu kata sandi untuk semua layanan | Tidak |\n| Pengelola kata sandi resmi instansi | Ya |\n| Verifikasi dua langkah pada surel dinas | Ya |\n| Menyimpan kata sandi di catatan ponsel tanpa kunci | Tidak |",
                        None,
                    ),
                    (
                        "Panduan Keamanan Informasi (PDF)",
                        "document",
                        "Baca panduan ringkas berikut dan simpan sebagai rujukan.",
                        None,
                    ),
                ],
            ),
            (
                "Penutup",
                &[(
                    "Pelaporan insiden",
                    "link",
                    "Setiap insiden keamanan informasi dilaporkan paling lambat 1 x 24 jam. Pelajari pedoman penanganan insiden dari Badan Siber dan Sandi Negara.",
                    Some("https://www.bssn.go.id/"),
                )],
            ),
        ],
        pdf: Some((
            "Panduan-Keamanan-Informasi.pdf",
            "Panduan Keamanan Informasi untuk ASN",
            KI_PDF,
        )),
    },
    DemoCourse {
        code: "PPP",
        title: "Pelayanan Publik Prima",
        summary: "Standar pelayanan, budaya melayani, dan penanganan pengaduan warga di unit layanan.",
        description: "Pelatihan ini membahas standar pelayanan publik menurut UU 25/2009 dan cara melayani warga dengan ramah, cepat, dan tuntas.\n\n**Sasaran kompetensi:** Pelayanan Publik (M.05) tingkat 2.",
        category: "lainnya",
        jp: 8,
        delivery: "blended",
        enrolment: "self",
        modules: &[
            (
                "Standar pelayanan",
                &[
                    (
                        "Asas pelayanan publik",
                        "text",
                        "UU Nomor 25 Tahun 2009 menetapkan asas pelayanan publik, antara lain **kepentingan umum**, **kepastian hukum**, **kesamaan hak**, **keterbukaan**, **ketepatan waktu**, serta **kecepatan, kemudahan, dan keterjangkauan**.\n\nSetiap unit layanan wajib mengumumkan standar pelayanannya: persyaratan, prosedur, waktu, biaya, dan produk layanan.",
                        None,
                    ),
                    (
                        "Maklumat pelayanan",
                        "text",
                        "Maklumat pelayanan adalah janji tertulis penyelenggara untuk memberikan layanan sesuai standar. Pasang maklumat di tempat yang mudah dilihat warga dan di situs web unit.",
                        None,
                    ),
                ],
            ),
            (
                "Budaya melayani",
                &[(
                    "Menangani pengaduan warga",
                    "text",
                    "Langkah menangani pengaduan:\n\n1. Dengarkan sampai selesai tanpa memotong.\n2. Ulangi inti keluhan untuk memastikan pemahaman.\n3. Catat di aplikasi pengaduan (misalnya CRM JAKI) beserta nomor tiket.\n4. Sampaikan batas waktu tindak lanjut yang realistis.\n5. Kabari warga ketika pengaduan selesai.",
                    None,
                )],
            ),
        ],
        pdf: None,
    },
    DemoCourse {
        code: "DADS",
        title: "Dasar Analisis Data dengan Spreadsheet",
        summary: "Mengolah data layanan dengan spreadsheet: membersihkan data, rumus, tabel pivot, dan grafik.",
        description: "Untuk pegawai yang mengolah data layanan dan statistik sektoral.\n\n**Sasaran kompetensi:** Pengelolaan Data tingkat 2.",
        category: "teknis",
        jp: 12,
        delivery: "e_learning",
        enrolment: "self",
        modules: &[
            (
                "Menyiapkan data",
                &[
                    (
                        "Data yang rapi",
                        "text",
                        "Data yang rapi memiliki **satu baris untuk satu pengamatan** dan **satu kolom untuk satu variabel**. Hindari sel gabungan (*merge*), baris total di tengah tabel, dan satuan yang ditulis di dalam angka.",
                        None,
                    ),
                    (
                        "Membersihkan data",
                        "text",
                        "Fungsi yang sering dipakai:\n\n- `TRIM()` membuang spasi berlebih;\n- `PROPER()` merapikan huruf besar-kecil nama;\n- `VALUE()` mengubah teks angka menjadi angka;\n- *Remove duplicates* menghapus baris ganda.",
                        None,
                    ),
                ],
            ),
            (
                "Menganalisis",
                &[
                    (
                        "Rumus agregat",
                        "text",
                        "`SUMIFS`, `COUNTIFS`, dan `AVERAGEIFS` menjumlah, menghitung, dan merata-rata dengan syarat. Contoh: jumlah kunjungan Puskesmas Tebet pada Januari:\n\n```\n=SUMIFS(D:D; B:B; \"Tebet\"; C:C; \"2026-01\")\n```",
                        None,
                    ),
                    (
                        "Tabel pivot dan grafik",
                        "text",
                        "Tabel pivot merangkum ribuan baris dalam beberapa klik. Pilih data, sisipkan *Pivot table*, lalu seret variabel ke baris, kolom, dan nilai. Sajikan hasilnya dengan grafik batang untuk perbandingan dan grafik garis untuk tren.",
                        None,
                    ),
                ],
            ),
        ],
        pdf: None,
    },
    DemoCourse {
        code: "PPGD",
        title: "Pertolongan Pertama Gawat Darurat",
        summary: "Bantuan hidup dasar untuk tenaga kesehatan: penilaian awal, RJP, dan penanganan perdarahan. Bersertifikat, berlaku 3 tahun.",
        description: "Pelatihan klasikal dengan bahan bacaan daring dan latihan praktik. Wajib bagi perawat di Puskesmas.\n\n**Sasaran kompetensi:** Prosedur Kegawatdaruratan Medis tingkat 2.",
        category: "fungsional",
        jp: 16,
        delivery: "classical",
        enrolment: "assigned",
        modules: &[
            (
                "Penilaian awal",
                &[
                    (
                        "Urutan DRS ABC",
                        "document",
                        "Pelajari lembar ringkas berikut sebelum sesi praktik.",
                        None,
                    ),
                    (
                        "Keselamatan penolong",
                        "text",
                        "Sebelum menolong, pastikan lingkungan aman: lalu lintas, listrik, api, atau bahan berbahaya. Gunakan sarung tangan bila ada darah atau cairan tubuh.",
                        None,
                    ),
                ],
            ),
            (
                "Resusitasi jantung paru",
                &[(
                    "Kompresi dada berkualitas",
                    "text",
                    "- Posisi tangan di tengah dada, pada separuh bawah tulang dada.\n- Kedalaman **5–6 cm**, kecepatan **100–120 kali per menit**.\n- Biarkan dada mengembang penuh setelah setiap tekanan.\n- Minimalkan jeda; ganti penolong setiap 2 menit.",
                    None,
                )],
            ),
        ],
        pdf: Some((
            "Lembar-Ringkas-DRS-ABC.pdf",
            "Pertolongan Pertama: Urutan DRS ABC",
            PPGD_PDF,
        )),
    },
];

fn course_input(c: &DemoCourse) -> CourseInput {
    CourseInput {
        code: c.code.to_owned(),
        title: c.title.to_owned(),
        summary: c.summary.to_owned(),
        description_md: c.description.to_owned(),
        category: c.category.to_owned(),
        jp: c.jp.to_string(),
        delivery: c.delivery.to_owned(),
        enrolment: c.enrolment.to_owned(),
        // Classroom sessions two weeks after the demo is made, 09.00–15.00 Jakarta time.
        starts_at: classroom(c, 14, 2),
        ends_at: classroom(c, 15, 8),
        venue: if c.delivery == "e_learning" {
            String::new()
        } else {
            "Gedung BPSDM Provinsi DKI Jakarta, Ruang Kelas 301".to_owned()
        },
    }
}

/// For a course that meets: `days` from today at `hour_utc`, RFC 3339; else empty.
fn classroom(c: &DemoCourse, days: i64, hour_utc: u32) -> String {
    if c.delivery == "e_learning" {
        return String::new();
    }
    let day = chrono::Utc::now().date_naive() + chrono::Days::new(days as u64);
    day.and_hms_opt(hour_utc, 0, 0)
        .map(|at| at.and_utc().to_rfc3339())
        .unwrap_or_default()
}

async fn user_id(db: &impl ConnectionTrait, username: &str) -> AppResult<Uuid> {
    Ok(accounts::find_by_username(db, username)
        .await?
        .ok_or(AppError::NotFound)?
        .id)
}

/// Creates one demo course with its modules, lessons and generated PDF; returns its lessons.
async fn create(
    db: &impl ConnectionTrait,
    store: &MaterialStore,
    author: Uuid,
    c: &DemoCourse,
) -> AppResult<(crate::entities::courses::Model, Vec<lessons::Model>)> {
    let course = authoring::create_course(db, author, &course_input(c).check()?).await?;
    let mut all = Vec::new();
    for (title, lessons) in c.modules {
        let module = authoring::create_module(db, course.id, title).await?;
        for (title, kind, body, url) in *lessons {
            let input = LessonInput {
                title: (*title).to_owned(),
                kind: (*kind).to_owned(),
                body_md: (*body).to_owned(),
                url: url.unwrap_or_default().to_owned(),
                required: true,
                ..Default::default()
            }
            .check()?;
            let html = authoring::render_markdown(db, course.id, &input.body_md).await?;
            let mut lesson = authoring::create_lesson(db, &module, &input, html).await?;
            if *kind == "document"
                && let Some((file, pdf_title, paragraphs)) = c.pdf
            {
                let bytes = Bytes::from(mahir_content::pdf::simple_pdf(pdf_title, paragraphs));
                let body = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes)]);
                let pending = materials::store_upload(store, u64::MAX, file, body).await?;
                let text = materials::text_of(store, pending.stored()).await;
                let new = materials::NewMaterial {
                    id: uuid::Uuid::now_v7(),
                    course_id: course.id,
                    lesson: Some(lesson.clone()),
                    uploaded_by: author,
                    file_name: file,
                    quota: u64::MAX,
                    rerendered: &[],
                    text,
                };
                materials::record(db, pending.stored(), new).await?;
                // Kept once the demo's transaction commits; if it does not, the demo is
                // loaded again from scratch.
                pending.keep();
                lesson = authoring::lesson(db, lesson.id).await?;
            }
            all.push(lesson);
        }
    }
    let course = authoring::set_status(db, course, Status::Published).await?;
    Ok((course, all))
}

/// Enrols a demo learner and completes their first `done` lessons.
async fn learn(
    db: &impl ConnectionTrait,
    username: &str,
    course: &crate::entities::courses::Model,
    lessons: &[lessons::Model],
    done: usize,
) -> AppResult<()> {
    let user = user_id(db, username).await?;
    let access = CourseAccess {
        course: course.clone(),
        can_edit: false,
        enrolment: None,
    };
    let learner = crate::auth::principal::Principal::load(db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = enrolment::enrol(db, &learner, &access).await?;
    for lesson in lessons.iter().take(done) {
        // Each report updates the enrolment, so record against its current row.
        let current = enrolments::Entity::find_by_id(e.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        progress::record(
            db,
            &current,
            lesson,
            Report {
                completed: true,
                seconds: 240,
                position: None,
                duration: None,
                quiz_passed: false,
            },
            stamp(),
        )
        .await?;
    }
    Ok(())
}

/// An assignment written directly, so the demo can show one already overdue.
async fn assign_with_due(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    by: Uuid,
    target: (Option<Uuid>, Option<Uuid>, Option<Uuid>),
    due_on: chrono::NaiveDate,
) -> AppResult<()> {
    assignments::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(course_id),
        user_id: Set(target.0),
        unit_id: Set(target.1),
        position_id: Set(target.2),
        due_on: Set(Some(due_on)),
        assigned_by: Set(by),
        created_at: Set(stamp()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Loads the demo courses (after the organisation), assigns them and puts the demo
/// learners at different stages.
pub async fn load(db: &impl ConnectionTrait, store: &MaterialStore) -> AppResult<()> {
    let instructor = user_id(db, "instructor").await?;
    let admin = user_id(db, "admin").await?;
    let mut made = Vec::new();
    for c in COURSES {
        made.push(create(db, store, instructor, c).await?);
    }
    let [(ki, ki_l), (ppp, ppp_l), (dads, dads_l), (ppgd, _)] = made.as_slice() else {
        return Err(AppError::NotFound);
    };
    // The dictionary's technical competencies before the questions that name them.
    super::competencies::load(db).await?;
    let quizzes = super::quizzes::create(db, instructor).await?;
    let unit = async |code: &'static str| {
        units::by_code(db, &OrgScope::All, code)
            .await?
            .ok_or(AppError::NotFound)
            .map(|u| u.id)
    };
    // Seeding runs before any test moves a clock: the system clock is the one.
    let today = Clock::default().today_wib();
    // Everyone at Diskominfotik owes Keamanan Informasi within a month.
    enrolment::assign(
        db,
        today,
        &OrgScope::All,
        admin,
        ki,
        &AssignTarget::Unit(unit("DISKOMINFOTIK").await?),
        Some(today + Duration::days(30)),
    )
    .await?;
    // Every nurse (Perawat Ahli Pertama) owes first aid; the unit was given it earlier and is late.
    let nurse = units::positions_of(db, unit("PKM-TEBET").await?)
        .await?
        .into_iter()
        .find(|p| p.name.starts_with("Perawat"))
        .ok_or(AppError::NotFound)?;
    enrolment::assign(
        db,
        today,
        &OrgScope::All,
        admin,
        ppgd,
        &AssignTarget::Position(nurse.id),
        Some(today + Duration::days(60)),
    )
    .await?;
    assign_with_due(
        db,
        ppp.id,
        admin,
        (None, Some(unit("PKM-TEBET").await?), None),
        today - Duration::days(7),
    )
    .await?;
    assign_with_due(
        db,
        ppp.id,
        admin,
        (None, Some(unit("DPMPTSP").await?), None),
        today + Duration::days(21),
    )
    .await?;

    // learner1 finished Keamanan Informasi and is half-way through Analisis Data.
    learn(db, "learner1", ki, ki_l, ki_l.len()).await?;
    learn(db, "learner1", dads, dads_l, 2).await?;
    // learner2 started Keamanan Informasi.
    learn(db, "learner2", ki, ki_l, 1).await?;
    // learner3 has not started the overdue Pelayanan Publik Prima; learner4 is under way.
    learn(db, "learner4", ppp, ppp_l, 1).await?;
    let learners = [
        user_id(db, "learner1").await?,
        user_id(db, "learner2").await?,
        user_id(db, "learner4").await?,
    ];
    super::quizzes::take(db, &quizzes, learners).await?;
    Ok(())
}
