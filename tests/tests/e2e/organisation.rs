//! The organisation admin pages: permissions, forms with errors, escaping, CSV import.

use mahir_tests::{TestApp, location_id};
use reqwest::StatusCode;

#[tokio::test]
async fn a_learner_gets_a_403_page_for_admin_pages() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("learner1").await;
    for path in [
        "/admin/units",
        "/admin/employees",
        "/admin/import",
        "/admin/units/new",
    ] {
        let (status, body) = app.page(&client, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains("Akses ditolak"), "{path}: {body}");
    }
}

#[tokio::test]
async fn a_unit_admin_gets_404_outside_their_subtree() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("unitadmin").await;
    let (status, body) = app
        .page(
            &client,
            &format!("/admin/units/{}", app.unit_id("DINKES").await),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("tidak ditemukan"));
    let (status, body) = app
        .page(
            &client,
            &format!("/admin/units/{}", app.unit_id("DISKOMINFOTIK-STAT").await),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Dewi Lestari"),
        "people of the subtree are listed"
    );
    let (_, tree) = app.page(&client, "/admin/units").await;
    assert!(tree.contains("Bidang Statistik") && !tree.contains("Dinas Kesehatan"));
}

#[tokio::test]
async fn an_admin_creates_and_moves_units_with_clear_errors() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("admin").await;
    let res = app
        .post_form(
            &client,
            "/admin/units",
            &[
                ("code", "BIRO-HUKUM"),
                ("name", "<script>alert(1)</script> Biro Hukum"),
                ("kind", "biro"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let unit_id = location_id(&res);
    let location = format!("/admin/units/{unit_id}");
    let (status, body) = app.page(&client, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !body.contains("<script>alert(1)</script>"),
        "names are escaped"
    );
    assert!(
        body.contains("script&#62;alert(1)") || body.contains("script&gt;alert(1)"),
        "{body}"
    );

    // A taken code re-shows the form with the message and changes nothing.
    let res = app
        .post_form(
            &client,
            "/admin/units",
            &[
                ("code", "bpsdm"),
                ("name", "Lain"),
                ("kind", "biro"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = res.text().await.expect("body");
    assert!(
        body.contains("Kode unit sudah dipakai") && body.contains("value=\"Lain\""),
        "{body}"
    );

    // Moving a unit below its own child is refused.
    let res = app
        .post_form(
            &client,
            "/admin/units",
            &[
                ("code", "BIRO-HUKUM-A"),
                ("name", "Bagian A"),
                ("kind", "bidang"),
                ("parent_id", &unit_id),
            ],
        )
        .await;
    let child = location_id(&res);
    let move_under = |parent: String| {
        let path = format!("/admin/units/{unit_id}");
        let (app, client) = (&app, &client);
        async move {
            app.post_form(
                client,
                &path,
                &[
                    ("code", "BIRO-HUKUM"),
                    ("name", "Biro Hukum"),
                    ("kind", "biro"),
                    ("parent_id", &parent),
                ],
            )
            .await
        }
    };
    let res = move_under(child.clone()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("ke bawah dirinya sendiri")
    );

    // Moving it under BPSDM carries the child along.
    let bpsdm = app.unit_id("BPSDM").await;
    let res = move_under(bpsdm).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&client, &format!("/admin/units/{child}")).await;
    assert!(
        page.contains("Badan Pengembangan Sumber Daya Manusia"),
        "breadcrumb follows the move"
    );
}

#[tokio::test]
async fn employee_form_reshows_errors_in_place() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("admin").await;
    let before = app.count("SELECT COUNT(*) FROM employees").await;
    let res = app
        .post_form(
            &client,
            "/admin/employees",
            &[
                ("nip", "123"),
                ("name", "Andi"),
                ("username", "andi"),
                ("unit_id", ""),
                ("position_id", ""),
                ("grade", ""),
                ("email", ""),
                ("nrk", ""),
                ("supervisor_nip", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    assert!(body.contains("NIP tidak valid") && body.contains("value=\"Andi\""));
    assert!(body.contains("aria-invalid=\"true\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM employees").await, before);
}

const GOOD_CSV: &str = "nip,name,username,unit_code,position,grade,email,nrk,supervisor_nip
198803032012121001,Fajar Nugroho,fajar.n,DPMPTSP,Analis Perizinan,III/c,fajar@jakarta.go.id,123456,
199107072016032002,Lina Marlina,lina.m,DPMPTSP,Pengadministrasi Umum,II/d,,,198803032012121001
";

#[tokio::test]
async fn csv_import_is_all_or_nothing_with_line_numbers() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("admin").await;
    let before = app.count("SELECT COUNT(*) FROM employees").await;
    let bad = "nip,name,username,unit_code,position,grade,email,nrk,supervisor_nip
198803032012121001,Fajar Nugroho,fajar.n,DPMPTSP,,III/c,,,
199113072016032002,Lina Marlina,lina.m,NOWHERE,,II/d,,,
199107072016032003,=HYPERLINK(1),x,DPMPTSP,,V/z,not-an-email,,
";
    let upload = |csv: &'static str| {
        app.upload_file(
            &client,
            "/admin/import",
            "pegawai.csv",
            csv.as_bytes().to_vec(),
        )
    };
    let res = upload(bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    assert!(
        body.contains("Baris 3") && body.contains("NIP tidak valid"),
        "{body}"
    );
    assert!(body.contains("Kode unit tidak dikenal") && body.contains("NOWHERE"));
    assert!(body.contains("Baris 4") && body.contains("Golongan/ruang tidak dikenal"));
    assert!(body.contains("Nama pengguna harus"));
    assert!(!body.contains("Baris 2:"), "line 2 is fine");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM employees").await,
        before,
        "nothing imported"
    );

    // The template offered on the page imports as it is.
    let template = client
        .get(app.url("/admin/import/template.csv"))
        .send()
        .await
        .expect("template");
    assert_eq!(template.status(), StatusCode::OK);
    assert!(
        template.headers()["content-disposition"]
            .to_str()
            .expect("disposition")
            .starts_with("attachment")
    );
    let template = template.text().await.expect("text");
    assert!(
        template.starts_with("nip,name,username,unit_code,position,grade,email,nrk,supervisor_nip")
    );
    let res = upload(template.leak()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("1 pegawai berhasil diimpor")
    );
    let before = before + 1;

    let res = upload(GOOD_CSV).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("2 pegawai berhasil diimpor")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM employees").await,
        before + 2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM employees e JOIN employees s ON e.supervisor_id = s.id WHERE s.nip = '198803032012121001'").await,
        1,
        "supervisor from the same file is linked"
    );
    // The same file again: every row is now a duplicate.
    let res = upload(GOOD_CSV).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("NIP sudah terdaftar")
    );
}

#[tokio::test]
async fn the_import_command_reports_rows_and_imports() {
    let app = TestApp::spawn_organisation().await;
    let scope = mahir::auth::principal::OrgScope::All;
    let outcome = mahir::org::import::import_csv(
        &app.db,
        app.state.clock().today_wib(),
        &scope,
        GOOD_CSV.as_bytes(),
    )
    .await
    .expect("import");
    assert!(matches!(
        outcome,
        mahir::org::import::ImportOutcome::Imported(2)
    ));
}
