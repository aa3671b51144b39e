//! The corpus's words and the queries of the search benchmark: ten topics of government
//! work in Indonesian and English, function words, the judged queries with the lessons
//! planted for them, and the fixed mix of queries timed.

/// (Indonesian words of a topic, inflected forms among them; English words.)
pub const TOPICS: &[(&str, &[&str], &[&str])] = &[
    (
        "Keamanan Informasi",
        &[
            "keamanan",
            "informasi",
            "mengamankan",
            "diamankan",
            "sandi",
            "kata",
            "enkripsi",
            "serangan",
            "menyerang",
            "insiden",
            "melaporkan",
            "pelaporan",
            "perangkat",
            "jaringan",
            "akses",
        ],
        &[
            "security",
            "information",
            "securing",
            "password",
            "encryption",
            "attack",
            "incident",
            "reporting",
            "device",
            "network",
            "access",
        ],
    ),
    (
        "Pelayanan Perizinan",
        &[
            "pelayanan",
            "melayani",
            "dilayani",
            "perizinan",
            "izin",
            "permohonan",
            "memohon",
            "pemohon",
            "berkas",
            "dokumen",
            "terpadu",
            "persyaratan",
            "diproses",
            "pemrosesan",
        ],
        &[
            "service",
            "serving",
            "licensing",
            "permit",
            "application",
            "applicant",
            "document",
            "requirement",
            "processing",
        ],
    ),
    (
        "Analisis Data",
        &[
            "analisis",
            "menganalisis",
            "dianalisis",
            "data",
            "statistik",
            "tabel",
            "grafik",
            "mengolah",
            "pengolahan",
            "diolah",
            "survei",
            "sampel",
            "penyajian",
            "menyajikan",
        ],
        &[
            "analysis",
            "analysing",
            "analysed",
            "data",
            "statistics",
            "table",
            "chart",
            "processing",
            "survey",
            "sample",
            "presenting",
        ],
    ),
    (
        "Keuangan Daerah",
        &[
            "anggaran",
            "penganggaran",
            "dianggarkan",
            "keuangan",
            "belanja",
            "pendapatan",
            "laporan",
            "akuntansi",
            "pertanggungjawaban",
            "mempertanggungjawabkan",
            "kas",
            "pembayaran",
        ],
        &[
            "budget",
            "budgeting",
            "finance",
            "spending",
            "revenue",
            "report",
            "accounting",
            "payment",
        ],
    ),
    (
        "Manajemen Kepegawaian",
        &[
            "pegawai",
            "kepegawaian",
            "jabatan",
            "kinerja",
            "penilaian",
            "menilai",
            "dinilai",
            "pengembangan",
            "mengembangkan",
            "kompetensi",
            "pelatihan",
            "melatih",
        ],
        &[
            "employee",
            "staffing",
            "position",
            "performance",
            "appraisal",
            "development",
            "developing",
            "competency",
            "training",
        ],
    ),
    (
        "Kesehatan Masyarakat",
        &[
            "kesehatan",
            "pasien",
            "perawat",
            "merawat",
            "perawatan",
            "pertolongan",
            "darurat",
            "pemeriksaan",
            "memeriksa",
            "diperiksa",
            "puskesmas",
            "imunisasi",
        ],
        &[
            "health",
            "patient",
            "nurse",
            "nursing",
            "care",
            "emergency",
            "examination",
            "examining",
            "clinic",
            "immunisation",
        ],
    ),
    (
        "Pengelolaan Arsip",
        &[
            "arsip",
            "kearsipan",
            "mengelola",
            "pengelolaan",
            "dikelola",
            "penyimpanan",
            "menyimpan",
            "disimpan",
            "surat",
            "penataan",
            "menata",
        ],
        &[
            "archive",
            "records",
            "managing",
            "management",
            "storage",
            "storing",
            "letter",
            "filing",
        ],
    ),
    (
        "Kepemimpinan",
        &[
            "pemimpin",
            "kepemimpinan",
            "memimpin",
            "dipimpin",
            "tim",
            "keputusan",
            "memutuskan",
            "perubahan",
            "mengubah",
            "strategi",
            "visi",
        ],
        &[
            "leader",
            "leadership",
            "leading",
            "team",
            "decision",
            "deciding",
            "change",
            "changing",
            "strategy",
            "vision",
        ],
    ),
    (
        "Lingkungan Hidup",
        &[
            "lingkungan",
            "sampah",
            "pengelolaan",
            "daur",
            "ulang",
            "pencemaran",
            "mencemari",
            "air",
            "udara",
            "penghijauan",
            "pohon",
        ],
        &[
            "environment",
            "waste",
            "recycling",
            "pollution",
            "polluting",
            "water",
            "air",
            "greening",
            "trees",
        ],
    ),
    (
        "Pelayanan Publik",
        &[
            "publik",
            "masyarakat",
            "pengaduan",
            "mengadukan",
            "kepuasan",
            "memuaskan",
            "standar",
            "pelayanan",
            "warga",
            "loket",
        ],
        &[
            "public",
            "community",
            "complaint",
            "complaints",
            "satisfaction",
            "standard",
            "service",
            "citizen",
            "counter",
        ],
    ),
];

pub const FILLER_ID: &[&str] = &[
    "yang", "dan", "untuk", "dengan", "pada", "dalam", "ini", "setiap", "harus", "dapat", "agar",
    "oleh", "kepada", "tentang", "secara", "lebih", "baik", "langkah", "cara", "instansi",
    "daerah", "provinsi", "kerja", "materi", "contoh", "penting", "bagian", "tahap", "unit",
    "petugas",
];
pub const FILLER_EN: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "in",
    "this",
    "every",
    "must",
    "can",
    "so",
    "by",
    "to",
    "about",
    "more",
    "good",
    "step",
    "way",
    "office",
    "region",
    "work",
    "example",
    "important",
    "part",
    "stage",
    "unit",
    "officer",
];

/// A judged query and the planted lessons that should come first: their title and text
/// use the concept in the inflections writers use, not always the query's own words.
pub struct Judged {
    pub query: &'static str,
    /// (title, body) of each planted lesson.
    pub planted: &'static [(&'static str, &'static str)],
}

pub const JUDGED: &[Judged] = &[
    Judged {
        query: "kriptografi",
        planted: &[
            (
                "Dasar kriptografi",
                "Kriptografi melindungi pesan dinas. Kriptografi kunci publik dipakai pada surel.",
            ),
            (
                "Kriptografi untuk pegawai",
                "Memahami kriptografi dan sertifikat digital.",
            ),
        ],
    },
    Judged {
        query: "pengelolaan mangrove",
        planted: &[
            (
                "Mengelola hutan mangrove",
                "Hutan mangrove dikelola bersama warga pesisir. Pengelola mangrove menanam bibit.",
            ),
            (
                "Mangrove di pesisir utara",
                "Pengelolaan mangrove mengurangi abrasi.",
            ),
        ],
    },
    Judged {
        query: "penanganan stunting",
        planted: &[
            (
                "Menangani stunting",
                "Stunting ditangani dengan gizi seimbang. Petugas menangani balita berisiko stunting.",
            ),
            (
                "Stunting dan posyandu",
                "Penanganan stunting dimulai dari posyandu.",
            ),
        ],
    },
    Judged {
        query: "geospasial",
        planted: &[
            (
                "Data geospasial",
                "Peta geospasial untuk perencanaan wilayah.",
            ),
            (
                "Informasi geospasial daerah",
                "Menyusun informasi geospasial yang akurat.",
            ),
        ],
    },
    Judged {
        query: "telemedisin",
        planted: &[
            (
                "Layanan telemedisin",
                "Telemedisin menghubungkan pasien dan dokter dari jauh.",
            ),
            (
                "Telemedisin di puskesmas",
                "Puskesmas melayani konsultasi telemedisin.",
            ),
        ],
    },
    Judged {
        query: "banjir rob",
        planted: &[
            (
                "Banjir rob di pesisir",
                "Banjir rob datang saat air pasang.",
            ),
            (
                "Menghadapi banjir rob",
                "Warga bersiap menghadapi banjir rob.",
            ),
        ],
    },
    Judged {
        query: "pengendalian inflasi",
        planted: &[
            (
                "Mengendalikan inflasi daerah",
                "Inflasi dikendalikan lewat pasokan pangan. Tim pengendali inflasi daerah.",
            ),
            (
                "Inflasi dan harga pangan",
                "Pengendalian inflasi menjaga daya beli.",
            ),
        ],
    },
    Judged {
        query: "pemeriksaan jentik",
        planted: &[
            (
                "Memeriksa jentik nyamuk",
                "Kader memeriksa jentik di rumah warga. Jentik diperiksa setiap pekan.",
            ),
            (
                "Jentik dan demam berdarah",
                "Pemeriksaan jentik mencegah demam berdarah.",
            ),
        ],
    },
    Judged {
        query: "penyusunan renstra",
        planted: &[
            (
                "Menyusun renstra",
                "Renstra disusun lima tahunan. Penyusun renstra melibatkan unit.",
            ),
            (
                "Renstra perangkat daerah",
                "Penyusunan renstra mengacu pada RPJMD.",
            ),
        ],
    },
    Judged {
        query: "pengadaan katalog elektronik",
        planted: &[
            (
                "Pengadaan lewat katalog elektronik",
                "Barang diadakan melalui katalog elektronik.",
            ),
            (
                "Katalog elektronik untuk pengadaan",
                "Mengadakan barang dengan katalog elektronik.",
            ),
        ],
    },
    Judged {
        query: "penghijauan taman kota",
        planted: &[
            (
                "Menghijaukan taman kota",
                "Taman kota dihijaukan dengan pohon peneduh.",
            ),
            (
                "Taman kota yang hijau",
                "Penghijauan taman kota bersama warga.",
            ),
        ],
    },
    Judged {
        query: "kearsipan dinamis",
        planted: &[
            ("Arsip dinamis", "Arsip dinamis dikelola unit pengolah."),
            (
                "Kearsipan dinamis",
                "Kearsipan dinamis mengatur arsip aktif.",
            ),
        ],
    },
    Judged {
        query: "\"tanggap darurat bencana\"",
        planted: &[
            (
                "Tanggap darurat bencana",
                "Tim tanggap darurat bencana bergerak dalam satu jam.",
            ),
            (
                "Latihan tanggap darurat bencana",
                "Simulasi tanggap darurat bencana di kelurahan.",
            ),
        ],
    },
    Judged {
        query: "\"sistem merit\"",
        planted: &[
            (
                "Sistem merit ASN",
                "Sistem merit menempatkan pegawai sesuai kompetensi.",
            ),
            (
                "Menerapkan sistem merit",
                "Penilaian dengan sistem merit yang adil.",
            ),
        ],
    },
    Judged {
        query: "\"zona integritas\"",
        planted: &[
            (
                "Membangun zona integritas",
                "Unit membangun zona integritas menuju WBK.",
            ),
            (
                "Zona integritas dan WBK",
                "Zona integritas mencegah korupsi.",
            ),
        ],
    },
    Judged {
        query: "\"satu data\"",
        planted: &[
            (
                "Satu data Jakarta",
                "Satu data menyatukan data antarinstansi.",
            ),
            (
                "Prinsip satu data",
                "Prinsip satu data: standar, metadata, interoperabilitas.",
            ),
        ],
    },
    // Typos.
    Judged {
        query: "kriptograf",
        planted: &[],
    },
    Judged {
        query: "mangrov pesisir",
        planted: &[],
    },
    Judged {
        query: "stuntnig",
        planted: &[],
    },
    Judged {
        query: "telemedisn",
        planted: &[],
    },
    Judged {
        query: "geospatial",
        planted: &[],
    },
    Judged {
        query: "inflsi daerah",
        planted: &[],
    },
    Judged {
        query: "renstar",
        planted: &[],
    },
    Judged {
        query: "jentk nyamuk",
        planted: &[],
    },
    // English.
    Judged {
        query: "cryptography",
        planted: &[
            (
                "Cryptography basics",
                "Cryptography protects official messages. Cryptographic keys are rotated.",
            ),
            (
                "Cryptography for staff",
                "Understanding cryptography and digital certificates.",
            ),
        ],
    },
    Judged {
        query: "mangrove management",
        planted: &[
            (
                "Managing mangrove forests",
                "Mangrove forests are managed with coastal communities.",
            ),
            (
                "Mangroves on the north coast",
                "Mangrove management reduces coastal erosion.",
            ),
        ],
    },
    Judged {
        query: "flood preparedness",
        planted: &[
            (
                "Preparing for floods",
                "Households prepare for floods with an emergency bag. Flood preparedness plans.",
            ),
            (
                "Flood preparedness drills",
                "Drills improve flood preparedness in each ward.",
            ),
        ],
    },
    Judged {
        query: "inflation control",
        planted: &[
            (
                "Controlling regional inflation",
                "Inflation is controlled through food supply.",
            ),
            (
                "Inflation and food prices",
                "Inflation control keeps purchasing power.",
            ),
        ],
    },
    Judged {
        query: "telemedicine",
        planted: &[
            (
                "Telemedicine services",
                "Telemedicine connects patients and doctors remotely.",
            ),
            (
                "Telemedicine at clinics",
                "Clinics offer telemedicine consultations.",
            ),
        ],
    },
    Judged {
        query: "geospatial data",
        planted: &[
            (
                "Geospatial data",
                "Geospatial maps support regional planning.",
            ),
            (
                "Regional geospatial information",
                "Compiling accurate geospatial data.",
            ),
        ],
    },
];

/// The judged query a typo query shares its planted lessons with.
pub fn planted_of(i: usize) -> usize {
    match JUDGED[i].query {
        "kriptograf" => 0,
        "mangrov pesisir" => 1,
        "stuntnig" => 2,
        "telemedisn" => 4,
        "geospatial" => 3,
        "inflsi daerah" => 6,
        "renstar" => 8,
        "jentk nyamuk" => 7,
        _ => i,
    }
}

/// The fixed mix of queries timed, beside the judged ones.
pub const MIX: &[&str] = &[
    "keamanan informasi",
    "pelayanan perizinan",
    "analisis data",
    "anggaran daerah",
    "penilaian kinerja pegawai",
    "pertolongan darurat",
    "pengelolaan arsip",
    "kepemimpinan tim",
    "pengelolaan sampah",
    "pengaduan masyarakat",
    "\"pelayanan publik\"",
    "\"analisis data\"",
    "mengamankan jaringan",
    "pemohon izin",
    "mengolah survei",
    "laporan keuangan",
    "keamaan informsi",
    "pelayann publik",
    "anggran belanja",
    "kepemimpnan",
    "data analysis",
    "budget report",
    "patient care",
    "leadership team",
    "waste recycling",
    "information security",
    "public complaints",
    "records management",
    "nurse emergency",
    "pegawai",
    "informasi",
    "data",
    "pelayanan",
    "sampah",
    "izin",
    "kinerja",
    "strategi perubahan",
    "imunisasi puskesmas",
    "akuntansi kas",
    "penataan surat",
];
