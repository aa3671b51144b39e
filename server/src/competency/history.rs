//! A person's training history as CSV, shaped like the riwayat diklat of the national HR
//! system (SIASN): kind of competency, hours, organiser, certificate number, year, start
//! and end date. Reversed records and their reversals are left out; every cell is
//! guarded against spreadsheet formulas.

use std::collections::HashSet;

use crate::entities::completion_records;
use crate::{courses::model::Category, time::date_wib};

/// The organiser written for courses completed in Mahir.
pub const INTERNAL_ORGANISER: &str = "Mahir";

fn kind(category: Category) -> &'static str {
    match category {
        Category::Leadership => "Manajerial",
        Category::Functional => "Fungsional",
        Category::Technical => "Teknis",
        Category::Other => "Lainnya",
    }
}

/// The CSV text of an employee's records (`nip`); `jp_minutes` turns JP into hours.
pub fn csv(nip: &str, records: &[completion_records::Model], jp_minutes: i32) -> String {
    let cell = |s: &str| mahir_content::spreadsheet::neutralise_cell(s).into_owned();
    let reversed: HashSet<uuid::Uuid> = records.iter().filter_map(|r| r.reverses_id).collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "nip",
        "nama_diklat",
        "jenis_kompetensi",
        "jumlah_jp",
        "jumlah_jam",
        "penyelenggara",
        "nomor_sertifikat",
        "tahun",
        "tanggal_mulai",
        "tanggal_selesai",
        "sumber",
    ]);
    for r in records
        .iter()
        .filter(|r| r.reverses_id.is_none() && !reversed.contains(&r.id))
    {
        let end = date_wib(r.completed_at);
        let hours = f64::from(r.jp) * f64::from(jp_minutes) / 60.0;
        let organiser = if r.organiser.is_empty() {
            INTERNAL_ORGANISER
        } else {
            &r.organiser
        };
        let _ = out.write_record([
            nip.to_owned(),
            cell(&r.title),
            kind(r.category).to_owned(),
            r.jp.to_string(),
            format!("{hours:.1}"),
            cell(organiser),
            cell(r.certificate_ref.as_deref().unwrap_or("")),
            r.year.to_string(),
            r.started_on.unwrap_or(end).to_string(),
            end.to_string(),
            r.source.as_str().to_owned(),
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
