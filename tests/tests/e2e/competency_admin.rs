//! Keeping competencies as an admin: the dictionary and the position requirements as CSV
//! files (all or nothing, every problem with its line), a position's requirements page,
//! changing and retiring a competency through the API, and correcting a completion
//! record by a reversing one.

use mahir::competency::json::{
    CompetencyJson, CompletionJson, CompletionList, ProfileJson, RequirementsJson,
};
use mahir_tests::TestApp;
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

async fn download(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String, String) {
    let res = client.get(app.url(path)).send().await.expect("get");
    let status = res.status();
    let disposition = res
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, disposition, res.text().await.expect("body"))
}

async fn upload(app: &TestApp, client: &Client, path: &str, csv: &str) -> (StatusCode, String) {
    let res = app
        .upload_file(client, path, "data.csv", csv.as_bytes().to_vec())
        .await;
    let status = res.status();
    (status, res.text().await.expect("body"))
}

async fn competency(app: &TestApp, token: &str, code: &str) -> Option<CompetencyJson> {
    let list: mahir::competency::json::CompetencyList = app
        .get(token, "/api/v1/competencies?retired=true&per_page=200")
        .await;
    list.items.into_iter().find(|c| c.code == code)
}

const DICTIONARY_HEAD: &str = "code,kind,name,name_en,definition,definition_en,level_1,level_1_en,indicators_1,level_2,level_2_en,indicators_2";

#[tokio::test]
async fn the_dictionary_travels_as_csv_all_or_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let token = app.token("admin").await;
    let before = app.count("SELECT COUNT(*) FROM competencies").await;
    let ki_before = competency(&app, &token, "T.KI").await.expect("T.KI");

    // The export is an attachment that imports back as it is, changing nothing.
    let (status, disposition, export) =
        download(&app, &admin, "/admin/competencies/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(export.starts_with("code,kind,name,name_en,definition"));
    assert!(export.contains("M.08") && export.contains("SK.01") && export.contains("T.KI"));
    let (status, body) = upload(&app, &admin, "/admin/competencies/import", &export).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&format!("{before} ")), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM competencies").await, before);
    let ki_after = competency(&app, &token, "T.KI").await.expect("T.KI");
    assert_eq!(ki_after.name, ki_before.name);
    assert_eq!(ki_after.levels.len(), ki_before.levels.len());
    for (a, b) in ki_after.levels.iter().zip(&ki_before.levels) {
        assert_eq!(
            (a.level, &a.description, &a.indicators),
            (b.level, &b.description, &b.indicators)
        );
    }

    // One bad row and nothing is imported; every problem is named with its line.
    let bad = format!(
        "{DICTIONARY_HEAD}\n\
         T.NEW,teknis,Analisis Data Baru,,,,Dasar,,,Terapan,,\"Mengolah data\nMenyajikan data\"\n\
         T.BAD,lain,,,,,,,,,,\n\
         t.new,teknis,Lagi,,,,,,,,,\n\
         9X,teknis,Kode salah,,,,,,,,,\n"
    );
    let (status, body) = upload(&app, &admin, "/admin/competencies/import", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for line in ["Baris 4:", "Baris 5:", "Baris 6:"] {
        assert!(body.contains(line), "{line} in {body}");
    }
    assert!(
        !body.contains("Baris 2:") && !body.contains("Baris 3:"),
        "{body}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM competencies").await, before);
    assert!(competency(&app, &token, "T.NEW").await.is_none());

    // A good file adds the new code and changes the known one; without level columns a
    // competency keeps its levels; a formula-like cell is stored as typed and exported
    // guarded.
    let good = "code,kind,name,definition\n\
                T.NEW,teknis,Analisis Data Baru,=SUM(A1)\n\
                T.KI,teknis,Keamanan Informasi Pemerintahan,Melindungi informasi.\n";
    let (status, body) = upload(&app, &admin, "/admin/competencies/import", good).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ki = competency(&app, &token, "T.KI").await.expect("T.KI");
    assert_eq!(ki.name, "Keamanan Informasi Pemerintahan");
    assert_eq!(ki.levels.len(), ki_before.levels.len(), "levels kept");
    let new = competency(&app, &token, "T.NEW").await.expect("T.NEW");
    assert_eq!(new.definition, "=SUM(A1)");
    let (_, _, export) = download(&app, &admin, "/admin/competencies/export.csv").await;
    assert!(export.contains("'=SUM(A1)"), "guarded");
    // Levels with indicators, one per line inside the cell.
    let levels = format!(
        "{DICTIONARY_HEAD}\nT.NEW,teknis,Analisis Data Baru,,,,Dasar,,,Terapan,,\"Mengolah data\nMenyajikan data\"\n"
    );
    let (status, body) = upload(&app, &admin, "/admin/competencies/import", &levels).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let new = competency(&app, &token, "T.NEW").await.expect("T.NEW");
    assert_eq!(new.levels.len(), 2);
    assert_eq!(
        new.levels[1].indicators,
        ["Mengolah data", "Menyajikan data"]
    );

    // Whole-file refusals: not UTF-8, a NUL, a missing column; the template imports.
    for (file, words) in [
        (&b"code,kind,name\nT.X,teknis,\xff\n"[..], "UTF-8"),
        (&b"code,kind,name\nT.X,teknis,A\0B\n"[..], "Baris 2"),
        (&b"code,name\nT.X,A\n"[..], "kind"),
    ] {
        let res = app
            .upload_file(&admin, "/admin/competencies/import", "x.csv", file.to_vec())
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.expect("body");
        assert!(body.contains(words), "{words} in {body}");
    }
    let (status, _, template) = download(&app, &admin, "/admin/competencies/template.csv").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = upload(&app, &admin, "/admin/competencies/import", &template).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(competency(&app, &token, "T.CTH").await.is_some());

    // Only admins.
    let unit_admin = app.login("unitadmin").await;
    for path in [
        "/admin/competencies/import",
        "/admin/competencies/export.csv",
    ] {
        let (status, _) = app.page(&unit_admin, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = upload(&app, &unit_admin, "/admin/competencies/import", good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn position_requirements_travel_as_csv_all_or_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let token = app.token("admin").await;
    let pranata = app
        .id_of("SELECT id FROM positions WHERE name = 'Pranata Komputer Ahli Pertama'")
        .await;
    let analis = app
        .id_of("SELECT id FROM positions WHERE name = 'Analis Perizinan'")
        .await;
    let requirements = |id: String| {
        let app = &app;
        let token = &token;
        async move {
            let r: RequirementsJson = app
                .get(token, &format!("/api/v1/positions/{id}/requirements"))
                .await;
            let mut pairs: Vec<(String, i16)> = r
                .requirements
                .into_iter()
                .map(|x| (x.code, x.level))
                .collect();
            pairs.sort();
            pairs
        }
    };
    let before = app
        .count("SELECT COUNT(*) FROM position_requirements")
        .await;
    let analis_before = requirements(analis.clone()).await;

    let (status, _, export) = download(&app, &admin, "/admin/competencies/requirements.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(export.starts_with("unit_code,position,code,level"));
    assert!(
        export.contains("DISKOMINFOTIK,Pranata Komputer Ahli Pertama,T.KI,2"),
        "{export}"
    );
    let (status, body) = upload(
        &app,
        &admin,
        "/admin/competencies/requirements/import",
        &export,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM position_requirements")
            .await,
        before
    );

    let bad = "unit_code,position,code,level\n\
               DISKOMINFOTIK,Pranata Komputer Ahli Pertama,T.KI,4\n\
               NOWHERE,Pranata Komputer Ahli Pertama,T.KI,2\n\
               DISKOMINFOTIK,Juru Masak,T.KI,2\n\
               DISKOMINFOTIK,Pranata Komputer Ahli Pertama,T.NONE,2\n\
               DISKOMINFOTIK,Pranata Komputer Ahli Pertama,T.PD,7\n\
               DISKOMINFOTIK,Pranata Komputer Ahli Pertama,t.ki,3\n";
    let (status, body) = upload(&app, &admin, "/admin/competencies/requirements/import", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for (line, words) in [
        ("Baris 3:", "NOWHERE"),
        ("Baris 4:", "Juru Masak"),
        ("Baris 5:", "T.NONE"),
        ("Baris 6:", "7"),
        ("Baris 7:", "T.KI"),
    ] {
        assert!(
            body.contains(line) && body.contains(words),
            "{line} {words} in {body}"
        );
    }
    assert!(!body.contains("Baris 2:"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM position_requirements")
            .await,
        before
    );

    // A good file replaces the lists of the positions it names, and only theirs.
    let good = "unit_code,position,code,level\n\
                diskominfotik,Pranata Komputer Ahli Pertama,T.KI,4\n\
                DISKOMINFOTIK,Pranata Komputer Ahli Pertama,M.01,2\n";
    let (status, body) = upload(
        &app,
        &admin,
        "/admin/competencies/requirements/import",
        good,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("2 "), "{body}");
    assert_eq!(
        requirements(pranata).await,
        [("M.01".to_owned(), 2), ("T.KI".to_owned(), 4)]
    );
    assert_eq!(requirements(analis).await, analis_before);
    // The holder's profile measures against the new list at once.
    let dewi: ProfileJson = app
        .get(&app.token("learner1").await, "/api/v1/me/profile")
        .await;
    let ki = dewi
        .competencies
        .iter()
        .find(|c| c.code == "T.KI")
        .expect("T.KI");
    assert_eq!(ki.required, Some(4));

    let (status, _, template) = download(
        &app,
        &admin,
        "/admin/competencies/requirements/template.csv",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.starts_with("unit_code,position,code,level"));
    let unit_admin = app.login("unitadmin").await;
    let (status, _) = upload(
        &app,
        &unit_admin,
        "/admin/competencies/requirements/import",
        good,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_set_a_positions_requirements_on_its_page() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let position = app
        .id_of("SELECT id FROM positions WHERE name = 'Analis Perizinan'")
        .await;
    let unit = app.unit_id("DPMPTSP").await;
    let (status, html) = app.page(&admin, &format!("/admin/units/{unit}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/admin/positions/{position}/requirements"))
            && html.contains(" persyaratan kompetensi</a>"),
        "the unit page links each position's requirements"
    );
    let token = app.token("admin").await;
    let listed: RequirementsJson = app
        .get(
            &token,
            &format!("/api/v1/positions/{position}/requirements"),
        )
        .await;
    let path = format!("/admin/positions/{position}/requirements");
    let (status, html) = app.page(&admin, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"T.PP\" selected") && html.contains("value=\"M.05\" selected"));

    // A refusal keeps what was chosen and changes nothing.
    let res = app
        .post_form(
            &admin,
            &path,
            &[
                ("req_code_0", "T.PP"),
                ("req_level_0", "3"),
                ("req_code_1", "T.PP"),
                ("req_level_1", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("page");
    assert!(
        html.contains("role=\"alert\"") && html.contains("T.PP"),
        "{html}"
    );
    let r: RequirementsJson = app
        .get(
            &token,
            &format!("/api/v1/positions/{position}/requirements"),
        )
        .await;
    assert_eq!(r.requirements.len(), listed.requirements.len(), "unchanged");

    let res = app
        .post_form(
            &admin,
            &path,
            &[
                ("req_code_0", "T.PP"),
                ("req_level_0", "3"),
                ("req_code_1", ""),
                ("req_level_1", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let r: RequirementsJson = app
        .get(
            &token,
            &format!("/api/v1/positions/{position}/requirements"),
        )
        .await;
    assert_eq!(r.requirements.len(), 1);
    assert_eq!(
        (r.requirements[0].code.as_str(), r.requirements[0].level),
        ("T.PP", 3)
    );

    // Unit admins see the count, not the editor.
    let unit_admin = app.login("unitadmin").await;
    let (status, _) = app.page(&unit_admin, &path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refusal = app
        .refused(
            Method::GET,
            &app.token("unitadmin").await,
            &format!("/api/v1/positions/{position}/requirements"),
            None,
        )
        .await;
    assert_eq!(refusal.code.as_str(), "forbidden");
}

#[tokio::test]
async fn a_competency_changes_and_retires_through_the_api() {
    let app = TestApp::spawn().await;
    let token = app.token("admin").await;
    let ki = competency(&app, &token, "T.KI").await.expect("T.KI");
    let path = format!("/api/v1/competencies/{}", ki.id);
    let changed: CompetencyJson = app
        .call(
            Method::PATCH,
            &token,
            &path,
            Some(json!({"name": "Keamanan Siber"})),
        )
        .await
        .expect("patch");
    assert_eq!(changed.name, "Keamanan Siber");
    assert_eq!(changed.levels.len(), ki.levels.len(), "levels kept");
    assert_eq!(changed.definition, ki.definition);
    let retired: CompetencyJson = app
        .call(Method::PATCH, &token, &path, Some(json!({"retired": true})))
        .await
        .expect("retire");
    assert!(retired.retired);
    let one: CompetencyJson = app.get(&token, &path).await;
    assert!(one.retired && one.name == "Keamanan Siber");
    for (body, code) in [
        (json!({"kind": "lain"}), "invalid_competency_kind"),
        (json!({"levels": [{"level": 6}]}), "invalid_level"),
        (json!({"name": "a\u{0}b"}), "invalid_text"),
    ] {
        let refusal = app.refused(Method::PATCH, &token, &path, Some(body)).await;
        assert_eq!(refusal.code.as_str(), code);
    }
    let refusal = app
        .refused(
            Method::PATCH,
            &app.token("learner1").await,
            &path,
            Some(json!({"retired": false})),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "forbidden");
    let refusal = app
        .refused(
            Method::PATCH,
            &token,
            "/api/v1/competencies/0190a0a0-0000-7000-8000-000000000000",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "not_found");
}

#[tokio::test]
async fn a_correction_reverses_a_record_its_jp_and_its_evidence() {
    let app = TestApp::spawn().await;
    let rizky = app.token("learner5").await;
    super::competency::complete_ki(&app, &rizky).await;
    let records: CompletionList = app.get(&rizky, "/api/v1/me/completions").await;
    let record = records.items[0].id;
    let path = format!("/api/v1/completions/{record}/reverse");
    let refusal = app
        .refused(
            Method::POST,
            &rizky,
            &path,
            Some(json!({"reason": "salah"})),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "forbidden");
    let admin = app.token("admin").await;
    for reason in ["", "a\u{0}b"] {
        let refusal = app
            .refused(Method::POST, &admin, &path, Some(json!({"reason": reason})))
            .await;
        assert_eq!(
            refusal.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason:?}"
        );
    }
    let (status, body) = app
        .api(
            Method::POST,
            &admin,
            &path,
            Some(json!({"reason": "Peserta tercatat ganda"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let reversal: CompletionJson = serde_json::from_value(body).expect("record");
    assert_eq!(reversal.jp, -10);
    assert_eq!(reversal.reverses_id, Some(record));
    assert_eq!(reversal.reason.as_deref(), Some("Peserta tercatat ganda"));
    for again in [record, reversal.id] {
        let refusal = app
            .refused(
                Method::POST,
                &admin,
                &format!("/api/v1/completions/{again}/reverse"),
                Some(json!({"reason": "lagi"})),
            )
            .await;
        assert_eq!(refusal.code.as_str(), "already_reversed");
    }
    let refusal = app
        .refused(
            Method::POST,
            &admin,
            "/api/v1/completions/0190a0a0-0000-7000-8000-000000000000/reverse",
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "not_found");
    // The JP and the course's evidence no longer count; the history shows both records.
    let profile: ProfileJson = app.get(&rizky, "/api/v1/me/profile").await;
    assert_eq!(profile.jp.total, 0);
    let course_evidence = profile
        .competencies
        .iter()
        .flat_map(|c| &c.evidence)
        .filter(|e| e.source == mahir::competency::evidence::EvidenceSource::Course)
        .count();
    assert_eq!(course_evidence, 0);
    let records: CompletionList = app.get(&rizky, "/api/v1/me/completions").await;
    assert_eq!(records.total, 2);
    let client = app.login("learner5").await;
    let (_, html) = app.page(&client, "/profile").await;
    assert!(html.contains("Peserta tercatat ganda"));
    assert!(
        !html.contains("Koreksi catatan ini"),
        "learners do not correct"
    );
}

#[tokio::test]
async fn admins_correct_a_record_on_the_profile_page() {
    let app = TestApp::spawn().await;
    let username = app
        .text_of(
            "SELECT u.username FROM users u WHERE u.id IN (SELECT user_id FROM completion_records) \
             ORDER BY u.username LIMIT 1",
        )
        .await;
    let budi = app.token(&username).await;
    let records: CompletionList = app.get(&budi, "/api/v1/me/completions").await;
    let record = records.items.first().expect("a demo record").id;
    let employee = app
        .id_of(&format!(
            "SELECT e.id FROM employees e JOIN users u ON u.id = e.user_id WHERE u.username = '{username}'"
        ))
        .await;
    let admin = app.login("admin").await;
    let (status, html) = app
        .page(&admin, &format!("/employees/{employee}/profile"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/records/{record}/reverse")),
        "{html}"
    );
    let path = format!("/employees/{employee}/records/{record}/reverse");
    let res = app.post_form(&admin, &path, &[("reason", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("page");
    assert!(html.contains("role=\"alert\"") && html.contains(" open"));
    let res = app
        .post_form(&admin, &path, &[("reason", "Sertifikat tidak sah")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let records: CompletionList = app.get(&budi, "/api/v1/me/completions").await;
    assert!(records.items.iter().any(|r| r.reverses_id == Some(record)));
    // Another employee's path does not reach the record.
    let other = app
        .id_of(&format!(
            "SELECT e.id FROM employees e JOIN users u ON u.id = e.user_id \
             WHERE u.username <> '{username}' AND u.username LIKE 'learner%' ORDER BY u.username LIMIT 1"
        ))
        .await;
    let res = app
        .post_form(
            &admin,
            &format!("/employees/{other}/records/{record}/reverse"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn two_imports_at_once_leave_one_dictionary() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let mut file = String::from("code,kind,name,level_1,indicators_1\n");
    for i in 0..200 {
        file.push_str(&format!(
            "T.PAR{i:03},teknis,Kompetensi Paralel {i},Dasar,\"Satu\nDua\"\n"
        ));
    }
    let (a, b) = tokio::join!(
        upload(&app, &admin, "/admin/competencies/import", &file),
        upload(&app, &admin, "/admin/competencies/import", &file)
    );
    for (status, body) in [&a, &b] {
        assert!(
            *status == StatusCode::OK || *status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status}: {body}"
        );
    }
    assert!(
        a.0 == StatusCode::OK || b.0 == StatusCode::OK,
        "one of them lands"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM competencies WHERE code LIKE 'T.PAR%'")
            .await,
        200
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM competency_levels WHERE competency_id IN \
             (SELECT id FROM competencies WHERE code LIKE 'T.PAR%')"
        )
        .await,
        200,
        "each competency's level once"
    );
}
