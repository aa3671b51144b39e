//! The index end to end, in memory: stemming, phrases, typos, permissions, filters,
//! snippets and reopening from disk.

use uuid::Uuid;

use super::*;

fn course(id: u128, title: &str, summary: &str, body: &str, visibility: Visibility) -> Doc {
    Doc {
        kind: Kind::Course,
        id: Uuid::from_u128(id),
        course_id: Uuid::from_u128(id),
        lang: Lang::Indonesian,
        title: title.into(),
        summary: summary.into(),
        body: body.into(),
        visibility,
        category: "teknis".into(),
        delivery: "e_learning".into(),
        jp: 10,
        instructors: vec![Uuid::from_u128(900)],
    }
}

fn lesson(id: u128, course: &Doc, title: &str, body: &str) -> Doc {
    Doc {
        kind: Kind::Lesson,
        id: Uuid::from_u128(id),
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        ..course.clone()
    }
}

fn sample() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    let ki = course(
        1,
        "Keamanan Informasi untuk ASN",
        "Melindungi data dan sistem pemerintahan.",
        "Pengelolaan kata sandi, phishing, dan pelaporan insiden.",
        Visibility::Published,
    );
    let ki_lesson = lesson(
        11,
        &ki,
        "Kata sandi yang kuat",
        "Gunakan frasa sandi panjang <script>alert(1)</script> & jangan dipakai ulang.",
    );
    let ppp = course(
        2,
        "Pelayanan Perizinan Publik",
        "Standar pelayanan perizinan terpadu satu pintu dengan data terbuka.",
        "Prosedur perizinan berusaha.",
        Visibility::Published,
    );
    let mut en = course(
        3,
        "Data Analysis with Spreadsheets",
        "Cleaning and analysing government data.",
        "Pivot tables and charts for public services.",
        Visibility::Published,
    );
    en.lang = Lang::English;
    en.category = "fungsional".into();
    en.jp = 4;
    let draft = course(
        4,
        "Rahasia Draf Kebijakan",
        "Belum terbit.",
        "Isi draf.",
        Visibility::Draft,
    );
    for (c, docs) in [
        (1, vec![ki, ki_lesson]),
        (2, vec![ppp]),
        (3, vec![en]),
        (4, vec![draft]),
    ] {
        index
            .replace_course(Uuid::from_u128(c), &docs)
            .expect("write");
    }
    index.commit(7).expect("commit");
    index
}

fn learner() -> Scope {
    Scope {
        catalogue: true,
        content_of: vec![Uuid::from_u128(1)],
        ..Scope::default()
    }
}

fn find(index: &SearchIndex, q: &str, scope: &Scope) -> Results {
    index
        .search(
            &Request {
                q,
                filters: Filters::default(),
                page: 1,
                per_page: 10,
            },
            scope,
        )
        .expect("search")
}

fn titles(r: &Results) -> Vec<&str> {
    r.hits.iter().map(|h| h.title.as_str()).collect()
}

#[test]
fn stemmed_words_find_their_forms() {
    let index = sample();
    let r = find(&index, "keamanan informasi", &learner());
    assert_eq!(titles(&r)[0], "Keamanan Informasi untuk ASN");
    // "mengelola" and "pengelolaan" share the root kelola.
    let r = find(&index, "mengelola sandi", &learner());
    assert!(
        titles(&r).contains(&"Keamanan Informasi untuk ASN"),
        "{r:?}"
    );
    // English: "analyse" meets "analysing"/"analysis" through the Snowball stem.
    let r = find(&index, "analysing spreadsheet", &learner());
    assert_eq!(titles(&r), ["Data Analysis with Spreadsheets"]);
    assert!(!r.fuzzy);
}

#[test]
fn a_phrase_finds_the_exact_phrase_only() {
    let index = sample();
    let r = find(&index, "\"perizinan terpadu\"", &learner());
    assert_eq!(titles(&r), ["Pelayanan Perizinan Publik"]);
    assert!(
        r.hits[0].snippet.contains("<mark>terpadu</mark>"),
        "{}",
        r.hits[0].snippet
    );
    // Exactly as written: another form of the words is not the phrase.
    assert_eq!(find(&index, "\"izin terpadu\"", &learner()).total, 0);
    let r = find(&index, "\"terpadu perizinan\"", &learner());
    assert_eq!(r.total, 0, "{r:?}");
}

#[test]
fn a_misspelled_query_finds_the_course_and_marks_the_match() {
    let index = sample();
    let r = find(&index, "keamaan infromasi", &learner());
    assert!(r.fuzzy);
    assert_eq!(titles(&r)[0], "Keamanan Informasi untuk ASN");
    let r = find(&index, "perizinnan", &learner());
    assert_eq!(titles(&r), ["Pelayanan Perizinan Publik"]);
    assert!(
        r.hits[0].snippet.contains("<mark>perizinan</mark>"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn learners_never_see_drafts_or_content_out_of_reach() {
    let index = sample();
    let r = find(&index, "rahasia draf", &learner());
    assert_eq!(r.total, 0);
    assert!(r.hits.is_empty());
    // The lesson is found by one enrolled, not by a visitor of the catalogue.
    let r = find(&index, "frasa sandi", &learner());
    assert_eq!(titles(&r), ["Kata sandi yang kuat"]);
    let visitor = Scope {
        catalogue: true,
        ..Scope::default()
    };
    assert_eq!(find(&index, "frasa sandi", &visitor).total, 0);
    // Its instructor and admins find the draft.
    let teacher = Scope {
        catalogue: true,
        teaching: vec![Uuid::from_u128(4)],
        ..Scope::default()
    };
    assert_eq!(find(&index, "rahasia", &teacher).total, 1);
    assert_eq!(find(&index, "rahasia", &Scope::everything()).total, 1);
    // Nobody: nothing.
    assert_eq!(find(&index, "keamanan", &Scope::default()).total, 0);
}

#[test]
fn snippets_mark_matches_and_escape_the_rest() {
    let index = sample();
    let r = find(&index, "sandi", &learner());
    let lesson = r
        .hits
        .iter()
        .find(|h| h.kind == Kind::Lesson)
        .expect("lesson");
    assert!(
        lesson.snippet.contains("<mark>sandi</mark>"),
        "{}",
        lesson.snippet
    );
    assert!(
        lesson.snippet.contains("&lt;script&gt;"),
        "{}",
        lesson.snippet
    );
    assert!(!lesson.snippet.contains("<script>"));
    assert!(lesson.snippet.contains("&amp;"));
}

#[test]
fn filters_narrow_the_results() {
    let index = sample();
    let search = |filters: Filters| {
        index
            .search(
                &Request {
                    q: "data",
                    filters,
                    page: 1,
                    per_page: 10,
                },
                &learner(),
            )
            .expect("search")
            .total
    };
    assert_eq!(search(Filters::default()), 3);
    assert_eq!(
        search(Filters {
            category: Some("fungsional".into()),
            ..Filters::default()
        }),
        1
    );
    assert_eq!(
        search(Filters {
            jp_max: Some(5),
            ..Filters::default()
        }),
        1
    );
    assert_eq!(
        search(Filters {
            courses: Some(vec![Uuid::from_u128(3)]),
            ..Filters::default()
        }),
        1
    );
    assert_eq!(
        search(Filters {
            courses: Some(Vec::new()),
            ..Filters::default()
        }),
        0
    );
}

#[test]
fn stop_words_and_syntax_alone_find_nothing_and_do_not_fail() {
    let index = sample();
    for q in [
        "",
        "yang dan di",
        "\"\"",
        "*:* OR title:x",
        "((((",
        &"a".repeat(10_000),
    ] {
        let r = find(&index, q, &Scope::everything());
        assert!(r.total <= 4, "{q}");
    }
}

#[test]
fn a_replaced_course_is_found_under_its_new_words_only() {
    let index = sample();
    let ppp = course(
        2,
        "Pelayanan Kependudukan",
        "Administrasi kependudukan.",
        "",
        Visibility::Published,
    );
    index
        .replace_course(Uuid::from_u128(2), &[ppp])
        .expect("write");
    index.commit(8).expect("commit");
    assert_eq!(find(&index, "perizinan", &learner()).total, 0);
    assert_eq!(find(&index, "kependudukan", &learner()).total, 1);
    assert_eq!(index.position(), Some(8));
}

#[test]
fn an_index_on_disk_reopens_at_its_position_and_a_damaged_one_is_replaced() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let (index, opened) = SearchIndex::open(dir.path()).expect("open");
        assert_eq!(opened, Opened::Created);
        let c = course(1, "Keamanan Informasi", "", "", Visibility::Published);
        index.replace_course(c.course_id, &[c]).expect("write");
        index.commit(42).expect("commit");
    }
    let (index, opened) = SearchIndex::open(dir.path()).expect("reopen");
    assert_eq!(opened, Opened::Existing(Some(42)));
    assert_eq!(find(&index, "keamanan", &learner()).total, 1);
    drop(index);
    std::fs::write(dir.path().join("meta.json"), b"{ not json").expect("damage");
    let (index, opened) = SearchIndex::open(dir.path()).expect("replaced");
    assert!(matches!(opened, Opened::Replaced(_)), "{opened:?}");
    assert!(index.is_empty());
    assert_eq!(index.position(), None);
}
