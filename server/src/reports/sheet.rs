//! A report file written row by row to a temporary file, as CSV or as XLSX (with
//! `rust_xlsxwriter`'s constant-memory mode: each row goes to disk as it is written), so
//! an export of 70,000 rows holds one row in memory. Every text cell beginning with `=`,
//! `+`, `-`, `@`, a tab or a carriage return is neutralised (a spreadsheet would run it
//! as a formula).

use std::{fs::File, io::BufWriter, path::PathBuf};

use mahir_content::spreadsheet::neutralise_cell;
use rust_xlsxwriter::{Format, Workbook};

/// One cell.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text (neutralised when written).
    Text(String),
    /// A number.
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

crate::vocab::str_enum! {
    /// The file format of an export.
    FileFormat {
        /// Comma-separated, UTF-8.
        Csv => "csv",
        /// Excel.
        Xlsx => "xlsx",
    }
}

enum Out {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Xlsx { book: Box<Workbook>, row: u32 },
}

/// A report file being written.
pub struct Sheet {
    out: Out,
    path: PathBuf,
    rows: u64,
    _dir: tempfile::TempDir,
}

impl Sheet {
    /// A new file with its header row.
    pub fn create(format: FileFormat, sheet_name: &str, header: &[&str]) -> anyhow::Result<Sheet> {
        let dir = tempfile::tempdir()?;
        let (out, path) = match format {
            FileFormat::Csv => {
                let path = dir.path().join("export.csv");
                let mut w = csv::Writer::from_writer(BufWriter::new(File::create(&path)?));
                w.write_record(header)?;
                (Out::Csv(Box::new(w)), path)
            }
            FileFormat::Xlsx => {
                let path = dir.path().join("export.xlsx");
                let mut book = Box::new(Workbook::new());
                book.set_tempdir(dir.path())?;
                let bold = Format::new().set_bold();
                let sheet = book.add_worksheet_with_constant_memory();
                sheet.set_name(sheet_name)?;
                for (col, title) in header.iter().enumerate() {
                    let col = u16::try_from(col)?;
                    sheet.write_string_with_format(0, col, *title, &bold)?;
                    sheet.set_column_width(col, 18)?;
                }
                (Out::Xlsx { book, row: 1 }, path)
            }
        };
        Ok(Sheet {
            out,
            path,
            rows: 0,
            _dir: dir,
        })
    }

    /// Appends a row.
    pub fn row(&mut self, cells: &[Cell]) -> anyhow::Result<()> {
        match &mut self.out {
            Out::Csv(w) => {
                for c in cells {
                    match c {
                        Cell::Text(s) => w.write_field(neutralise_cell(s).as_ref())?,
                        Cell::Number(n) => w.write_field(number(*n))?,
                    }
                }
                w.write_record(None::<&[u8]>)?;
            }
            Out::Xlsx { book, row } => {
                let sheet = book.worksheet_from_index(0)?;
                for (col, c) in cells.iter().enumerate() {
                    let col = u16::try_from(col)?;
                    match c {
                        Cell::Text(s) => {
                            sheet.write_string(*row, col, neutralise_cell(s).as_ref())?;
                        }
                        Cell::Number(n) => {
                            sheet.write_number(*row, col, *n)?;
                        }
                    }
                }
                *row += 1;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Rows written after the header.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Finishes the file: its path (valid as long as the returned guard lives).
    pub fn finish(self) -> anyhow::Result<(PathBuf, tempfile::TempDir)> {
        match self.out {
            Out::Csv(mut w) => w.flush()?,
            Out::Xlsx { mut book, .. } => book.save(&self.path)?,
        }
        Ok((self.path, self._dir))
    }
}

/// A number as a CSV cell: whole numbers without a fraction.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_neutralised_and_numbers_plain() {
        let mut s = Sheet::create(FileFormat::Csv, "x", &["a", "b"]).expect("sheet");
        s.row(&[Cell::from("=1+1"), Cell::Number(3.0)])
            .expect("row");
        s.row(&[Cell::from("@SUM(A1)"), Cell::Number(2.5)])
            .expect("row");
        assert_eq!(s.rows(), 2);
        let (path, _dir) = s.finish().expect("finish");
        let text = std::fs::read_to_string(path).expect("read");
        assert_eq!(text, "a,b\n'=1+1,3\n'@SUM(A1),2.50\n");
    }

    #[test]
    fn xlsx_files_are_zip_archives() {
        let mut s = Sheet::create(FileFormat::Xlsx, "Data", &["a"]).expect("sheet");
        for i in 0..100 {
            s.row(&[Cell::Text(format!("-{i}"))]).expect("row");
        }
        let (path, _dir) = s.finish().expect("finish");
        let bytes = std::fs::read(path).expect("read");
        assert_eq!(&bytes[..2], b"PK");
    }
}
