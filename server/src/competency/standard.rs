//! The competencies every ASN position uses (Permenpan RB 38/2017): the eight managerial
//! ones and the socio-cultural one, with levels 1–5 in Mahir's own concise words
//! (Indonesian, English beside). Loaded into the dictionary on start when missing.

/// One level: (description, English description, behaviour indicators in Indonesian).
pub type LevelText = (&'static str, &'static str, &'static [&'static str]);

/// A standard competency: code, kind, name, English name, definition, English definition,
/// levels 1 to 5.
pub struct Standard {
    /// Dictionary code, such as `M.01` or `SK.01`.
    pub code: &'static str,
    /// Competency kind: `manajerial` or `sosial_kultural`.
    pub kind: &'static str,
    /// Name in Indonesian.
    pub name: &'static str,
    /// Name in English.
    pub name_en: &'static str,
    /// One-sentence definition in Indonesian.
    pub definition: &'static str,
    /// One-sentence definition in English.
    pub definition_en: &'static str,
    /// Levels 1 to 5, in order.
    pub levels: [LevelText; 5],
}

/// M.01–M.08 and SK.01.
pub const STANDARD: [Standard; 9] = [
    Standard {
        code: "M.01",
        kind: "manajerial",
        name: "Integritas",
        name_en: "Integrity",
        definition: "Bertindak jujur, konsisten, dan sesuai dengan nilai, norma, serta etika organisasi dalam setiap pekerjaan dan hubungan kerja.",
        definition_en: "Acts honestly and consistently in line with the organisation's values, norms and ethics in all work and working relationships.",
        levels: [
            (
                "Bertindak jujur dan mematuhi aturan, kode etik, serta jam kerja dalam pekerjaannya sendiri.",
                "Acts honestly and follows the rules, the code of ethics and working hours in own work.",
                &[
                    "Menyampaikan informasi pekerjaan secara benar dan apa adanya.",
                    "Menaati jam kerja, tata tertib, dan kode etik ASN tanpa perlu diingatkan.",
                ],
            ),
            (
                "Mengingatkan rekan kerja untuk bertindak sesuai nilai dan etika, serta menjaga kerahasiaan informasi unit.",
                "Reminds colleagues to act in line with values and ethics, and keeps the unit's information confidential.",
                &[
                    "Menegur rekan kerja dengan santun bila melihat pelanggaran etika.",
                    "Menjaga kerahasiaan data dan dokumen sesuai dengan kewenangannya.",
                ],
            ),
            (
                "Memastikan seluruh anggota tim bekerja sesuai kode etik dan berani menolak tindakan yang menyimpang.",
                "Makes sure the whole team works by the code of ethics and firmly refuses improper requests.",
                &[
                    "Menolak gratifikasi dan permintaan yang bertentangan dengan aturan.",
                    "Memberi teladan kejujuran dan keterbukaan kepada anggota timnya.",
                ],
            ),
            (
                "Membangun budaya kerja berintegritas di unitnya dan menindak pelanggaran secara adil dan konsisten.",
                "Builds a culture of integrity across the unit and deals with violations fairly and consistently.",
                &[
                    "Menerapkan sistem pengendalian untuk mencegah penyimpangan di unitnya.",
                    "Menjatuhkan sanksi atas pelanggaran etika tanpa pandang bulu.",
                ],
            ),
            (
                "Menjadi teladan integritas di tingkat provinsi dan menetapkan kebijakan yang menutup peluang korupsi.",
                "Serves as a province-wide model of integrity and sets policies that close off room for corruption.",
                &[
                    "Menetapkan kebijakan antikorupsi dan pencegahan benturan kepentingan di Pemprov DKI Jakarta.",
                    "Mempertahankan keputusan yang benar walaupun menghadapi tekanan atau risiko pribadi.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.02",
        kind: "manajerial",
        name: "Kerjasama",
        name_en: "Teamwork",
        definition: "Membangun dan memelihara hubungan kerja yang efektif dengan orang lain demi tercapainya tujuan bersama.",
        definition_en: "Builds and maintains effective working relationships with others to reach shared goals.",
        levels: [
            (
                "Berpartisipasi aktif dalam tugas kelompok dan menyelesaikan bagian pekerjaannya tepat waktu.",
                "Takes an active part in group tasks and delivers own share of the work on time.",
                &[
                    "Hadir dan berkontribusi dalam rapat atau kegiatan tim.",
                    "Menyelesaikan bagian tugasnya sesuai dengan kesepakatan tim.",
                ],
            ),
            (
                "Menghargai pendapat rekan, berbagi informasi yang relevan, dan bersedia membantu anggota tim lain.",
                "Respects colleagues' views, shares relevant information and is willing to help other team members.",
                &[
                    "Mendengarkan dan mempertimbangkan masukan dari rekan kerja.",
                    "Membagikan informasi dan pengetahuan yang dibutuhkan tim.",
                ],
            ),
            (
                "Membangun kerja sama lintas tim, mengelola perbedaan pendapat, dan menjaga semangat kelompok.",
                "Builds cooperation across teams, handles differences of opinion and keeps group morale up.",
                &[
                    "Memfasilitasi penyelesaian perbedaan pendapat di dalam tim.",
                    "Mengajak tim lain bekerja sama untuk menyelesaikan masalah bersama.",
                ],
            ),
            (
                "Membangun sinergi antarunit kerja dan mendorong kolaborasi untuk mencapai sasaran organisasi.",
                "Creates synergy between work units and encourages collaboration toward organisational targets.",
                &[
                    "Menyusun mekanisme koordinasi yang jelas antarunit kerja.",
                    "Mengakui dan menghargai keberhasilan kerja sama lintas unit.",
                ],
            ),
            (
                "Membangun kemitraan strategis dengan instansi, swasta, dan masyarakat untuk kepentingan seluruh provinsi.",
                "Forms strategic partnerships with agencies, business and the public for the benefit of the whole province.",
                &[
                    "Memprakarsai kemitraan dengan kementerian, pemerintah daerah lain, dan mitra swasta.",
                    "Menjadikan kolaborasi sebagai nilai utama budaya kerja di Pemprov DKI Jakarta.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.03",
        kind: "manajerial",
        name: "Komunikasi",
        name_en: "Communication",
        definition: "Menyampaikan dan menerima informasi, gagasan, serta pendapat secara jelas, lugas, dan santun, baik lisan maupun tertulis.",
        definition_en: "Conveys and receives information, ideas and views clearly, directly and politely, both spoken and written.",
        levels: [
            (
                "Menyampaikan informasi secara jelas dan sopan serta mendengarkan dengan saksama dalam lingkup tugasnya.",
                "Passes on information clearly and politely and listens carefully within own tasks.",
                &[
                    "Menyampaikan laporan dengan bahasa yang runtut dan mudah dipahami.",
                    "Mendengarkan penjelasan orang lain tanpa memotong pembicaraan.",
                ],
            ),
            (
                "Menyesuaikan cara dan bahasa penyampaian dengan lawan bicara serta memastikan pesannya dipahami.",
                "Adapts manner and language to the listener and checks that the message is understood.",
                &[
                    "Mengajukan pertanyaan untuk memastikan kesamaan pemahaman.",
                    "Menulis surat dan nota dinas sesuai dengan kaidah bahasa dan tata naskah dinas.",
                ],
            ),
            (
                "Menyampaikan gagasan secara meyakinkan dalam forum dan membangun komunikasi dua arah di timnya.",
                "Presents ideas convincingly in meetings and builds two-way communication within the team.",
                &[
                    "Memaparkan gagasan dengan dukungan data dan argumen yang kuat.",
                    "Membuka ruang bagi anggota tim untuk menyampaikan pendapat dan keluhan.",
                ],
            ),
            (
                "Mengelola komunikasi antarunit dan dengan pemangku kepentingan, termasuk dalam situasi yang sensitif.",
                "Manages communication between units and with stakeholders, including in sensitive situations.",
                &[
                    "Merancang strategi komunikasi untuk program atau kebijakan unitnya.",
                    "Menangani isu sensitif dengan pesan yang tenang, jelas, dan konsisten.",
                ],
            ),
            (
                "Mengarahkan komunikasi publik Pemprov dan meyakinkan pemangku kepentingan strategis atas kebijakan provinsi.",
                "Steers the province's public communication and wins over strategic stakeholders on provincial policy.",
                &[
                    "Menjelaskan kebijakan provinsi di hadapan DPRD, media, dan masyarakat.",
                    "Menetapkan standar komunikasi publik yang terbuka di Pemprov DKI Jakarta.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.04",
        kind: "manajerial",
        name: "Orientasi pada Hasil",
        name_en: "Results orientation",
        definition: "Berupaya mencapai hasil kerja terbaik yang memenuhi atau melampaui standar serta terus memperbaiki cara kerja.",
        definition_en: "Strives for the best results, meeting or exceeding the set standards, and keeps improving ways of working.",
        levels: [
            (
                "Menyelesaikan tugasnya sesuai dengan standar, prosedur, dan tenggat waktu yang ditetapkan.",
                "Completes own tasks to the set standard, procedure and deadline.",
                &[
                    "Menyelesaikan pekerjaan tepat waktu sesuai dengan target yang ditentukan.",
                    "Memeriksa kembali hasil kerjanya sebelum diserahkan.",
                ],
            ),
            (
                "Menetapkan target kerja yang terukur bagi dirinya dan mencari cara kerja yang lebih efisien.",
                "Sets measurable targets for own work and looks for more efficient ways of working.",
                &[
                    "Memantau capaian kinerjanya sendiri secara berkala.",
                    "Mengusulkan perbaikan sederhana pada prosedur kerja.",
                ],
            ),
            (
                "Menetapkan target tim yang menantang, memantau kemajuannya, dan mengatasi hambatan yang muncul.",
                "Sets challenging team targets, tracks progress and removes obstacles as they arise.",
                &[
                    "Menjabarkan sasaran tim menjadi rencana kerja yang terukur.",
                    "Segera mengambil langkah perbaikan ketika kinerja tim tidak mencapai target.",
                ],
            ),
            (
                "Mengelola kinerja unit berdasarkan data dan mendorong inovasi untuk meningkatkan hasil layanan.",
                "Manages the unit's performance using data and drives innovation to improve service outcomes.",
                &[
                    "Menggunakan indikator kinerja untuk mengevaluasi program unitnya.",
                    "Mengalokasikan sumber daya pada kegiatan yang paling berdampak.",
                ],
            ),
            (
                "Menetapkan sasaran strategis provinsi dan membangun budaya kinerja tinggi di seluruh organisasi.",
                "Sets the province's strategic targets and builds a high-performance culture across the organisation.",
                &[
                    "Menyelaraskan sasaran perangkat daerah dengan rencana pembangunan provinsi.",
                    "Menetapkan sistem manajemen kinerja yang berorientasi pada hasil dan dampak.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.05",
        kind: "manajerial",
        name: "Pelayanan Publik",
        name_en: "Public service",
        definition: "Memberikan layanan yang profesional, transparan, dan bermutu sesuai dengan kebutuhan masyarakat tanpa kepentingan pribadi.",
        definition_en: "Delivers professional, transparent, quality service that meets the public's needs, free from personal interest.",
        levels: [
            (
                "Melayani masyarakat dengan ramah, cepat, dan sesuai dengan standar pelayanan yang berlaku.",
                "Serves the public in a friendly, prompt way that follows the applicable service standards.",
                &[
                    "Menyapa dan melayani warga dengan sopan dan ramah.",
                    "Memberikan informasi layanan yang benar dan lengkap.",
                ],
            ),
            (
                "Memahami kebutuhan pengguna layanan dan menindaklanjuti keluhan hingga tuntas.",
                "Understands service users' needs and follows up complaints until they are resolved.",
                &[
                    "Menggali kebutuhan warga sebelum memberikan solusi.",
                    "Mencatat dan menindaklanjuti setiap keluhan sampai selesai.",
                ],
            ),
            (
                "Memastikan tim memberikan layanan yang konsisten dan memperbaikinya berdasarkan masukan warga.",
                "Ensures the team delivers consistent service and improves it based on public feedback.",
                &[
                    "Memantau kepuasan masyarakat dan menggunakannya untuk perbaikan layanan.",
                    "Menyederhanakan alur layanan yang berbelit di timnya.",
                ],
            ),
            (
                "Merancang dan memperbaiki sistem layanan unit agar mudah diakses, transparan, dan akuntabel.",
                "Designs and improves the unit's service system so it is accessible, transparent and accountable.",
                &[
                    "Mengembangkan layanan digital untuk mempermudah akses warga.",
                    "Mengumumkan standar, biaya, dan waktu layanan secara terbuka.",
                ],
            ),
            (
                "Menetapkan kebijakan pelayanan publik provinsi yang berpihak pada warga dan menumbuhkan budaya melayani.",
                "Sets province-wide public service policy centred on citizens and fosters a culture of service.",
                &[
                    "Menetapkan standar pelayanan terpadu di seluruh perangkat daerah.",
                    "Memastikan kebijakan layanan menjangkau kelompok rentan dan penyandang disabilitas.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.06",
        kind: "manajerial",
        name: "Pengembangan Diri dan Orang Lain",
        name_en: "Developing self and others",
        definition: "Meningkatkan pengetahuan dan keterampilan diri sendiri serta mendorong dan membantu orang lain untuk berkembang.",
        definition_en: "Grows own knowledge and skills and encourages and helps others to grow.",
        levels: [
            (
                "Mengenali kekuatan dan kekurangan dirinya serta aktif belajar untuk meningkatkan kemampuan kerja.",
                "Knows own strengths and weaknesses and learns actively to improve work skills.",
                &[
                    "Mengikuti pelatihan atau belajar mandiri sesuai dengan kebutuhan tugasnya.",
                    "Meminta umpan balik atas hasil kerjanya.",
                ],
            ),
            (
                "Menyusun rencana pengembangan diri dan berbagi pengetahuan dengan rekan kerja.",
                "Draws up a personal development plan and shares knowledge with colleagues.",
                &[
                    "Menerapkan hasil pelatihan dalam pekerjaan sehari-hari.",
                    "Membagikan materi atau pengalaman belajar kepada rekan kerja.",
                ],
            ),
            (
                "Membimbing anggota tim, memberikan umpan balik yang membangun, dan membuka kesempatan belajar.",
                "Coaches team members, gives constructive feedback and opens up learning opportunities.",
                &[
                    "Memberikan bimbingan secara rutin kepada anggota tim.",
                    "Memberikan tugas yang menantang sebagai sarana belajar.",
                ],
            ),
            (
                "Menyusun program pengembangan kompetensi unit dan menyiapkan kader pengganti.",
                "Plans the unit's competency development programme and prepares successors.",
                &[
                    "Memetakan kesenjangan kompetensi pegawai di unitnya.",
                    "Menyiapkan pegawai potensial untuk menduduki jabatan yang lebih tinggi.",
                ],
            ),
            (
                "Membangun budaya belajar di seluruh organisasi dan menetapkan kebijakan pengembangan talenta provinsi.",
                "Builds a learning culture across the organisation and sets the province's talent development policy.",
                &[
                    "Menetapkan kebijakan manajemen talenta di Pemprov DKI Jakarta.",
                    "Menyediakan sumber daya yang memadai bagi pengembangan kompetensi ASN.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.07",
        kind: "manajerial",
        name: "Mengelola Perubahan",
        name_en: "Managing change",
        definition: "Menyesuaikan diri dengan situasi baru dan menggerakkan orang lain agar perubahan berjalan efektif.",
        definition_en: "Adapts to new situations and mobilises others so that change works well.",
        levels: [
            (
                "Menerima perubahan kebijakan atau cara kerja dan menyesuaikan pekerjaannya sendiri.",
                "Accepts changes in policy or ways of working and adjusts own work accordingly.",
                &[
                    "Mempelajari aturan atau sistem baru yang berlaku.",
                    "Menjalankan cara kerja baru tanpa menunda-nunda.",
                ],
            ),
            (
                "Mendukung perubahan secara aktif dan membantu rekan kerja beradaptasi dengan cara kerja baru.",
                "Actively supports change and helps colleagues adapt to new ways of working.",
                &[
                    "Menjelaskan manfaat perubahan kepada rekan kerja.",
                    "Menyampaikan usulan perbaikan selama masa transisi.",
                ],
            ),
            (
                "Menjelaskan alasan perubahan kepada tim, mengelola keberatan, dan memastikan perubahan terlaksana.",
                "Explains the reasons for change to the team, handles objections and makes sure the change happens.",
                &[
                    "Menanggapi kekhawatiran anggota tim terhadap perubahan secara terbuka.",
                    "Menyusun langkah pelaksanaan perubahan di timnya.",
                ],
            ),
            (
                "Merencanakan dan memimpin perubahan di unitnya serta mengelola risiko dan dampaknya.",
                "Plans and leads change in the unit and manages its risks and impact.",
                &[
                    "Menyusun peta jalan perubahan beserta indikator keberhasilannya.",
                    "Mengidentifikasi risiko perubahan dan menyiapkan langkah mitigasinya.",
                ],
            ),
            (
                "Menetapkan arah transformasi organisasi dan menggerakkan seluruh perangkat daerah untuk berubah.",
                "Sets the direction of organisational transformation and moves all regional agencies to change.",
                &[
                    "Menetapkan agenda reformasi birokrasi tingkat provinsi.",
                    "Menjadi penggerak utama perubahan di hadapan pimpinan dan pegawai.",
                ],
            ),
        ],
    },
    Standard {
        code: "M.08",
        kind: "manajerial",
        name: "Pengambilan Keputusan",
        name_en: "Decision making",
        definition: "Mengambil keputusan yang tepat waktu dan dapat dipertanggungjawabkan berdasarkan analisis informasi dan pertimbangan risiko.",
        definition_en: "Makes timely, accountable decisions based on analysis of information and consideration of risk.",
        levels: [
            (
                "Mengambil keputusan rutin dalam tugasnya berdasarkan prosedur dan informasi yang tersedia.",
                "Makes routine decisions in own tasks based on procedures and available information.",
                &[
                    "Mengumpulkan informasi yang diperlukan sebelum bertindak.",
                    "Mengikuti prosedur yang berlaku saat menyelesaikan masalah rutin.",
                ],
            ),
            (
                "Menganalisis masalah, membandingkan beberapa pilihan, dan memilih solusi yang paling sesuai.",
                "Analyses problems, compares several options and chooses the most suitable solution.",
                &[
                    "Mengidentifikasi akar masalah sebelum menentukan solusi.",
                    "Menimbang kelebihan dan kekurangan setiap alternatif.",
                ],
            ),
            (
                "Mengambil keputusan bagi tim dengan mempertimbangkan risiko, dampak, dan masukan dari pihak terkait.",
                "Makes decisions for the team, weighing risk, impact and input from those involved.",
                &[
                    "Melibatkan pihak terkait dalam proses pengambilan keputusan.",
                    "Mengambil keputusan tepat waktu meskipun informasi belum lengkap.",
                ],
            ),
            (
                "Mengambil keputusan kompleks bagi unit dengan memadukan data, regulasi, dan aspirasi pemangku kepentingan.",
                "Makes complex decisions for the unit, combining data, regulation and stakeholder interests.",
                &[
                    "Menggunakan data dan kajian sebagai dasar keputusan unit.",
                    "Mempertanggungjawabkan keputusan beserta dampaknya secara terbuka.",
                ],
            ),
            (
                "Mengambil keputusan strategis yang berdampak luas bagi provinsi dengan mempertimbangkan kepentingan jangka panjang.",
                "Makes far-reaching strategic decisions for the province with long-term interests in mind.",
                &[
                    "Menetapkan kebijakan strategis berdasarkan analisis dampak jangka panjang.",
                    "Tetap tegas mengambil keputusan dalam situasi krisis atau ketidakpastian tinggi.",
                ],
            ),
        ],
    },
    Standard {
        code: "SK.01",
        kind: "sosial_kultural",
        name: "Perekat Bangsa",
        name_en: "Unifying the nation",
        definition: "Menghormati keberagaman serta mampu merangkul dan mempersatukan orang dari berbagai latar belakang dalam bekerja.",
        definition_en: "Respects diversity and is able to embrace and unite people of different backgrounds at work.",
        levels: [
            (
                "Menghargai perbedaan agama, suku, budaya, dan pandangan dalam interaksi kerja sehari-hari.",
                "Respects differences of religion, ethnicity, culture and opinion in everyday work.",
                &[
                    "Bersikap adil kepada semua orang tanpa membedakan latar belakangnya.",
                    "Menghindari ucapan dan candaan yang menyinggung SARA.",
                ],
            ),
            (
                "Membangun hubungan baik dengan orang yang berbeda latar belakang dan menyesuaikan diri dengan lingkungannya.",
                "Builds good relationships with people from different backgrounds and adapts to their setting.",
                &[
                    "Bergaul dan bekerja sama dengan rekan dari beragam latar belakang.",
                    "Mempelajari dan menghormati kebiasaan setempat saat bertugas.",
                ],
            ),
            (
                "Mengelola keberagaman dalam tim sebagai kekuatan dan mencegah konflik yang dipicu oleh perbedaan.",
                "Manages diversity within the team as a strength and prevents conflict sparked by differences.",
                &[
                    "Melibatkan anggota tim dari beragam latar belakang secara setara.",
                    "Menengahi gesekan antaranggota tim yang berakar pada perbedaan.",
                ],
            ),
            (
                "Menyusun program unit yang inklusif dan menjembatani kepentingan kelompok masyarakat yang beragam.",
                "Designs inclusive unit programmes and bridges the interests of diverse community groups.",
                &[
                    "Memastikan program unit dapat diakses oleh semua kelompok masyarakat.",
                    "Memfasilitasi dialog antarkelompok untuk mencegah konflik sosial.",
                ],
            ),
            (
                "Menetapkan kebijakan provinsi yang memperkuat persatuan dan menjadi teladan dalam merawat kebinekaan.",
                "Sets provincial policy that strengthens national unity and leads by example in caring for diversity.",
                &[
                    "Menetapkan kebijakan yang menjamin kesetaraan bagi seluruh warga Jakarta.",
                    "Menjadi pemersatu di tengah perbedaan kepentingan dan pandangan publik.",
                ],
            ),
        ],
    },
];
