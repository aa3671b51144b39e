//! The demo quizzes: every demo course ends with a quiz in Indonesian (several question
//! types, tagged with the competency it evidences); Keamanan Informasi also opens with a
//! pre-test paired with its final quiz. Demo learners have attempts in different states:
//! passed, failed, in progress, and one essay waiting for the instructor.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::{
    courses::authoring,
    entities::{courses, modules, questions, quizzes},
    error::{AppError, AppResult},
    quizzes::{
        answers, attempts, bank,
        model::{QuestionData, Response},
        prepared,
        quiz::{self, QuizInput, Reveal, Review},
    },
    time::stamp,
};

const KI: &str = r#"$CATEGORY: Keamanan Informasi/Dasar

// [tag:prinsip] [competency:T.KI:1]
::Prinsip kerahasiaan:: Prinsip yang menjamin informasi hanya dibaca oleh pihak yang berhak adalah... {
    =Kerahasiaan#Benar: kerahasiaan (confidentiality).
    ~Keutuhan#Keutuhan menjaga informasi agar tidak diubah tanpa izin.
    ~Ketersediaan#Ketersediaan menjaga informasi dapat diakses saat dibutuhkan.
}

// [tag:phishing] [competency:T.KI:2]
::Tanda phishing:: [markdown] Pilih **semua** tanda surel *phishing*. {
    ~%50%Alamat pengirim janggal walau mengaku dari instansi resmi
    ~%50%Isi mendesak, misalnya "akun Anda diblokir dalam 1 jam"
    ~%-50%Surel dikirim pada jam kerja#Jam kirim bukan tanda phishing.
    ~%-50%Surel ditulis dalam bahasa Indonesia
}

// [tag:sandi] [competency:T.KI:2]
::Frasa sandi:: Frasa sandi dari empat kata acak lebih kuat daripada kata pendek dengan simbol. {TRUE#Frasa yang panjang jauh lebih sulit ditebak.#Benar: panjang lebih penting daripada simbol.}

// [tag:insiden] [competency:T.KI:2]
::Batas lapor:: Paling lambat berapa jam sejak diketahui sebuah insiden harus dilaporkan ke tim tanggap insiden instansi? {#24:0####Pedoman instansi: 1 x 24 jam.}

// [tag:insiden]
::Tim tanggap:: Tuliskan singkatan tim tanggap insiden keamanan siber instansi. {=CSIRT =Computer Security Incident Response Team}

// [tag:klasifikasi] [competency:T.KI:2]
::Klasifikasi:: Pasangkan klasifikasi informasi dengan siapa yang boleh membacanya. {
    =Terbuka -> Dapat diumumkan kepada publik
    =Terbatas -> Pegawai yang berkepentingan
    =Rahasia -> Pejabat yang ditunjuk
}

// [tag:kebiasaan]
::Kunci layar:: Kunci layar komputer dengan menekan tombol Windows + {=L} setiap kali meninggalkan meja.
"#;

const PPP: &str = r#"$CATEGORY: Pelayanan Publik

// [competency:M.05:1]
::Dasar hukum:: Undang-undang yang mengatur pelayanan publik adalah... {=UU Nomor 25 Tahun 2009 ~UU Nomor 5 Tahun 2014 ~UU Nomor 23 Tahun 2014}

// [competency:M.05:2]
::Maklumat:: Maklumat pelayanan adalah janji tertulis penyelenggara untuk memberikan layanan sesuai standar. {T}

// [competency:M.05:2]
::Standar pelayanan:: Pilih komponen standar pelayanan yang wajib diumumkan kepada warga. {
    ~%33.33333%Persyaratan
    ~%33.33333%Waktu penyelesaian
    ~%33.33334%Biaya
    ~%-100%Nama kepala unit#Nama pejabat bukan bagian standar pelayanan.
}

// [competency:M.05:2]
::Pengaduan:: Langkah pertama saat menangani pengaduan warga adalah... {=Mendengarkan sampai selesai tanpa memotong ~Mencatat nomor tiket ~Menyampaikan batas waktu tindak lanjut}

::Aplikasi:: Sebutkan aplikasi pengaduan warga Jakarta yang disebut dalam materi. {=JAKI =CRM JAKI}

// [competency:M.05:2]
::Asas:: Pasangkan asas pelayanan dengan contohnya. {
    =Keterbukaan -> Standar pelayanan diumumkan
    =Ketepatan waktu -> Layanan selesai sesuai janji
    =Kesamaan hak -> Warga dilayani tanpa dibedakan
}
"#;

const DADS: &str = r#"$CATEGORY: Analisis Data

// [competency:T.PD:1]
::Rumus rata-rata:: Fungsi spreadsheet untuk menghitung rata-rata adalah... {=AVERAGE ~SUM ~COUNT ~MAX}

// [competency:T.PD:2]
::Tabel pivot:: Tabel pivot dapat meringkas ribuan baris data tanpa mengubah data asalnya. {T}

// [competency:T.PD:1]
::Jumlah:: Sel A1 sampai A4 berisi 2, 4, 6, dan 8. Berapa hasil =SUM(A1\:A4)? {#20}

// [competency:T.PD:2]
::Rata-rata:: Dari data yang sama, berapa hasil =AVERAGE(A1\:A4)? {#5:0.01}

// [competency:T.PD:2]
::Membersihkan data:: Pilih langkah membersihkan data. {
    ~%50%Menghapus baris ganda
    ~%50%Menyeragamkan format tanggal
    ~%-100%Menghapus kolom yang belum dipahami#Tanyakan dulu arti kolom itu.
}

// [competency:T.PD:2]
::Grafik:: Pasangkan data dengan grafik yang cocok. {
    =Tren bulanan -> Grafik garis
    =Perbandingan antarwilayah -> Grafik batang
    =Komposisi anggaran -> Grafik lingkaran
}

// [competency:T.PD:3]
::Uraian:: Jelaskan langkah Anda menyiapkan laporan jumlah layanan per kelurahan dari data mentah. {}
"#;

const PPGD: &str = r#"$CATEGORY: Kegawatdaruratan

// [competency:T.KGD:1]
::Langkah pertama:: Langkah pertama DRS ABC adalah memastikan... {=lokasi aman (Danger) ~jalan napas terbuka (Airway) ~korban bernapas (Breathing)}

// [competency:T.KGD:1]
::Nomor darurat:: Selain 112, nomor layanan gawat darurat medis yang disebut dalam materi adalah {=119}.

// [competency:T.KGD:2]
::Kecepatan kompresi:: Kecepatan kompresi dada yang dianjurkan adalah 100 sampai 120 kali per menit. {T}

// [competency:T.KGD:2]
::Kedalaman:: Berapa sentimeter kedalaman kompresi dada pada orang dewasa? {#5..6}

// [competency:T.KGD:2]
::Periksa napas:: Periksa napas paling lama berapa detik? {#10}

// [competency:T.KGD:2]
::ABC:: Pasangkan huruf dengan langkahnya. {
    =A -> Airway, buka jalan napas
    =B -> Breathing, periksa napas
    =C -> Circulation, kompresi dada
}
"#;

/// The shared bank: questions of no course, which every course's quiz may use.
const SHARED: &str = r#"$CATEGORY: Wawasan Kebangsaan

// [tag:pancasila] [competency:SK.01:1]
::Dasar negara::Apa dasar negara Republik Indonesia? {=Pancasila ~UUD 1945 ~Bhinneka Tunggal Ika ~Sumpah Pemuda}

// [tag:semboyan] [competency:SK.01:1]
::Semboyan::Semboyan negara Indonesia adalah ... {=Bhinneka Tunggal Ika#Artinya: berbeda-beda tetapi tetap satu. ~Tut Wuri Handayani ~Gotong Royong}

// [tag:nilai-dasar] [competency:M.01:1]
::BerAKHLAK::Nilai dasar ASN "BerAKHLAK" memuat akuntabel, kompeten, dan harmonis.{T}

// [tag:sumpah-pemuda] [competency:SK.01:1]
::Sumpah Pemuda::Pada tahun berapa Sumpah Pemuda diikrarkan? {#1928:0}

// [tag:nilai-dasar] [competency:SK.01:2]
::Keberagaman::Jelaskan satu cara Anda menjaga persatuan di tempat kerja yang beragam. {}
"#;

/// A demo course's final quiz: course code, GIFT bank, time limit in minutes, attempts
/// allowed, pass mark.
type Final = (&'static str, &'static str, Option<i32>, Option<i32>, i32);

const FINALS: [Final; 4] = [
    ("KI-ASN", KI, None, None, 70),
    ("PPP", PPP, Some(20), Some(3), 70),
    ("DADS", DADS, Some(30), Some(2), 60),
    ("PPGD", PPGD, Some(15), Some(2), 80),
];

fn review() -> Review {
    Review {
        score: Reveal::Immediately,
        answers: Reveal::Immediately,
        feedback: Reveal::Immediately,
    }
}

pub(super) async fn course(db: &impl ConnectionTrait, code: &str) -> AppResult<courses::Model> {
    courses::Entity::find()
        .filter(courses::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The demo quizzes of every demo course, by course code: (pre-test, final quiz).
pub struct DemoQuizzes {
    /// Keamanan Informasi's pre-test.
    pub ki_pre: quizzes::Model,
    /// Final quizzes by course code.
    pub finals: Vec<(&'static str, quizzes::Model)>,
}

/// Fills the shared bank; adds a bank, a final quiz in a last module "Evaluasi" and, for
/// Keamanan Informasi, a pre-test in a first module to every demo course.
pub async fn create(db: &impl ConnectionTrait, author: Uuid) -> AppResult<DemoQuizzes> {
    let shared = prepared::prepare_file(bank::Format::Gift, SHARED.to_owned()).await?;
    bank::store(db, None, author, &shared).await?;
    let mut finals = Vec::new();
    let mut ki_pre = None;
    for (code, gift, minutes, attempts_allowed, pass) in FINALS {
        let c = course(db, code).await?;
        let own = prepared::prepare_file(bank::Format::Gift, (*gift).to_owned()).await?;
        bank::store(db, Some(c.id), author, &own).await?;
        let ids: Vec<Uuid> = questions::Entity::find()
            .filter(questions::Column::CourseId.eq(c.id))
            .order_by_asc(questions::Column::CreatedAt)
            .all(db)
            .await?
            .into_iter()
            .map(|q| q.id)
            .collect();
        let input = |title: &str| QuizInput {
            title: title.to_owned(),
            question_ids: ids.clone(),
            random: None,
            time_limit_seconds: minutes.map(|m| m * 60),
            max_attempts: attempts_allowed,
            pass_percent: Some(pass),
            shuffle: Some(true),
            grading: Some("highest".into()),
            open_at: None,
            close_at: None,
            review: Some(review()),
            pretest_id: None,
        };
        let mut pretest = None;
        if code == "KI-ASN" {
            let first = authoring::create_module(db, c.id, "Pre-test").await?;
            for _ in 0..8 {
                let m = authoring::module(db, first.id).await?;
                authoring::move_module(db, m, -1).await?;
            }
            let m = authoring::module(db, first.id).await?;
            let pre = quiz::create(
                db,
                &m,
                &QuizInput {
                    pass_percent: Some(0),
                    ..input("Pre-test Keamanan Informasi")
                },
            )
            .await?;
            pretest = Some(pre.id);
            ki_pre = Some(pre);
        }
        let last: modules::Model = authoring::create_module(db, c.id, "Evaluasi").await?;
        let title = format!("Kuis akhir: {}", c.title);
        let final_quiz = quiz::create(
            db,
            &last,
            &QuizInput {
                pretest_id: pretest,
                ..input(&title)
            },
        )
        .await?;
        finals.push((code, final_quiz));
    }
    Ok(DemoQuizzes {
        ki_pre: ki_pre.ok_or(AppError::NotFound)?,
        finals,
    })
}

/// A response to `data` that is right or wrong.
fn response(data: &QuestionData, right: bool) -> Response {
    match data {
        QuestionData::SingleChoice { options } => Response::Choices {
            choices: options
                .iter()
                .find(|o| (o.weight >= 100.0) == right)
                .map(|o| vec![o.id.clone()])
                .unwrap_or_default(),
        },
        QuestionData::MultipleChoice { options } => Response::Choices {
            choices: options
                .iter()
                .filter(|o| (o.weight > 0.0) == right)
                .map(|o| o.id.clone())
                .collect(),
        },
        QuestionData::TrueFalse { answer, .. } => Response::Value {
            value: *answer == right,
        },
        QuestionData::ShortAnswer { answers } => Response::Text {
            text: if right {
                answers.first().map(|a| a.text.clone()).unwrap_or_default()
            } else {
                "tidak tahu".into()
            },
        },
        QuestionData::Numerical { answers } => Response::Number {
            number: answers
                .first()
                .map_or(0.0, |a| if right { a.min } else { a.max + 1000.0 }),
        },
        QuestionData::Matching { pairs } => {
            let rights: Vec<&str> = pairs.iter().map(|p| p.right_id.as_str()).collect();
            Response::Pairs {
                pairs: pairs
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.left.is_empty())
                    .map(|(i, p)| {
                        let r = if right {
                            p.right_id.clone()
                        } else {
                            rights[(i + 1) % rights.len()].to_owned()
                        };
                        (p.left_id.clone(), r)
                    })
                    .collect(),
            }
        }
        QuestionData::Essay => Response::Text {
            text: "Saya mengunduh data mentah dari aplikasi layanan, menghapus baris ganda, \
                   menyeragamkan nama kelurahan, lalu membuat tabel pivot jumlah layanan per \
                   kelurahan dan grafik batang untuk laporan bulanan."
                .into(),
        },
    }
}

/// Starts an attempt for `username` and answers: the first `right` questions rightly and
/// the rest wrongly, up to `answered` questions; finishes it unless `finish` is false.
async fn attempt(
    db: &impl ConnectionTrait,
    user: Uuid,
    quiz: &quizzes::Model,
    right: usize,
    answered: usize,
    finish: bool,
) -> AppResult<()> {
    let at = stamp();
    let (a, _) = attempts::start(db, at, user, quiz).await?;
    let mut slots = attempts::layout(&a);
    // Essays last, so "answered" counts reach them only when meant to.
    slots.sort_by_key(|s| s.kind == Some(crate::quizzes::model::QuestionKind::Essay));
    let questions = attempts::questions_of(db, &slots).await?;
    for (n, slot) in slots.iter().take(answered).enumerate() {
        let Some(q) = questions.get(&slot.question_id) else {
            continue;
        };
        let data = attempts::data_of(q)?;
        answers::save(db, at, user, a.id, q.id, &response(&data, n < right)).await?;
    }
    if finish {
        attempts::finish(db, a, at).await?;
    }
    Ok(())
}

/// Puts the demo learners' quiz attempts in different states; `learners` are the ids of
/// learner1, learner2 and learner4.
pub async fn take(
    db: &impl ConnectionTrait,
    quizzes: &DemoQuizzes,
    learners: [Uuid; 3],
) -> AppResult<()> {
    let final_of = |code: &str| {
        quizzes
            .finals
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, q)| q.clone())
            .ok_or(AppError::NotFound)
    };
    let [learner1, learner2, learner4] = learners;
    // learner1: 3 of 7 on the pre-test, all 7 on the final quiz; the course is complete.
    attempt(db, learner1, &quizzes.ki_pre, 3, 7, true).await?;
    attempt(db, learner1, &final_of("KI-ASN")?, 7, 7, true).await?;
    // learner1 sat the data analysis quiz early: the essay waits for the instructor.
    attempt(db, learner1, &final_of("DADS")?, 5, 7, true).await?;
    // learner2: 2 of 7 on the pre-test; the final quiz is under way with 3 answers saved.
    attempt(db, learner2, &quizzes.ki_pre, 2, 7, true).await?;
    attempt(db, learner2, &final_of("KI-ASN")?, 3, 3, false).await?;
    // learner4 failed the first of three attempts at Pelayanan Publik Prima.
    attempt(db, learner4, &final_of("PPP")?, 2, 6, true).await?;
    Ok(())
}
