//! What every CSV import shares: the file read as UTF-8 with a header row, every problem
//! reported with its line, and the outcome (all rows imported, or none and the reasons).
//! The employee import and the dictionary and requirement imports are built on it.

use crate::error::{AppResult, Code};

/// Largest file accepted, in rows.
pub const MAX_ROWS: usize = 20_000;

/// What is wrong: an error code, whose message comes from the catalog (worded by the page
/// or the command line), and the specifics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The error code, e.g. `csv_unknown_unit`.
    pub code: Code,
    /// The specifics, e.g. the unit code.
    pub detail: Option<String>,
}

impl Problem {
    /// A problem with these specifics.
    pub fn new(code: Code, detail: Option<&str>) -> Self {
        Self {
            code,
            detail: detail.map(|d| d.chars().take(80).collect()),
        }
    }

    /// The problem of a refused value (its code and detail).
    pub fn of(e: &crate::error::AppError) -> Self {
        Self::new(e.code(), e.detail().as_deref())
    }
}

/// One problem in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// What is wrong there.
    pub problem: Problem,
}

impl RowError {
    /// A problem on `line`.
    pub fn new(line: usize, code: Code, detail: Option<&str>) -> Self {
        Self {
            line,
            problem: Problem::new(code, detail),
        }
    }
}

/// The outcome of an import.
#[derive(Debug)]
pub enum ImportOutcome {
    /// Every row was imported.
    Imported(usize),
    /// Nothing was imported because of these problems.
    Rejected(Vec<RowError>),
}

/// One data row: its line in the file and its cells.
pub struct Record {
    /// Line in the file (the header is line 1).
    pub line: usize,
    cells: csv::StringRecord,
}

/// A file read: its header (lower-cased, a byte-order mark dropped), its rows, and the
/// rows that could not be read.
pub struct Table {
    headers: Vec<String>,
    /// The rows read, in file order.
    pub records: Vec<Record>,
    /// Rows that could not be read, and a row limit passed.
    pub errors: Vec<RowError>,
}

impl Table {
    /// Reads `bytes`: refused as a whole (line 1, or the line of a NUL) when it is not
    /// UTF-8, holds a NUL, has no readable header, lacks one of `required`, or has no
    /// data rows. Cells are trimmed.
    pub fn read(bytes: &[u8], required: &[&str]) -> Result<Table, Vec<RowError>> {
        if std::str::from_utf8(bytes).is_err() {
            return Err(vec![RowError::new(1, Code::CsvNotUtf8, None)]);
        }
        if let Some(at) = bytes.iter().position(|b| *b == 0) {
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
            return Err(vec![RowError::new(line, Code::InvalidText, None)]);
        }
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(false)
            .from_reader(bytes);
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h
                .iter()
                .map(|s| s.trim_start_matches('\u{feff}').to_lowercase())
                .collect(),
            Err(e) => {
                return Err(vec![RowError::new(
                    1,
                    Code::CsvUnreadable,
                    Some(&e.to_string()),
                )]);
            }
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !headers.iter().any(|h| h == c))
            .collect();
        if !missing.is_empty() {
            return Err(vec![RowError::new(
                1,
                Code::CsvMissingColumns,
                Some(&missing.join(", ")),
            )]);
        }
        let mut records = Vec::new();
        let mut errors = Vec::new();
        // A row's line is where it begins: a quoted cell may hold line breaks.
        let mut next_line = 2;
        for record in reader.records() {
            let line = match &record {
                Ok(r) => r.position().map_or(next_line, |p| line_of(p.line())),
                Err(e) => e.position().map_or(next_line, |p| line_of(p.line())),
            };
            next_line = line + 1;
            if records.len() >= MAX_ROWS {
                errors.push(RowError::new(
                    line,
                    Code::CsvTooManyRows,
                    Some(&MAX_ROWS.to_string()),
                ));
                break;
            }
            match record {
                Ok(cells) => records.push(Record { line, cells }),
                Err(e) => errors.push(RowError::new(
                    line,
                    Code::CsvUnreadable,
                    Some(&e.to_string()),
                )),
            }
        }
        if records.is_empty() && errors.is_empty() {
            return Err(vec![RowError::new(1, Code::CsvEmpty, None)]);
        }
        Ok(Table {
            headers,
            records,
            errors,
        })
    }

    /// Whether the header has this column.
    pub fn has(&self, column: &str) -> bool {
        self.headers.iter().any(|h| h == column)
    }

    /// The cell of `record` in `column` ("" when the header has no such column), with the
    /// quote that [`write`] puts before a formula-like cell taken off again.
    pub fn get<'a>(&self, record: &'a Record, column: &str) -> &'a str {
        let cell = self
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| record.cells.get(i))
            .unwrap_or("");
        cell.strip_prefix('\'')
            .filter(|rest| rest.starts_with(['=', '+', '-', '@', '\t', '\r']))
            .unwrap_or(cell)
    }
}

fn line_of(line: u64) -> usize {
    usize::try_from(line).unwrap_or(usize::MAX)
}

/// Sorts the problems by line and gives the outcome: rejected when there are any.
pub fn rejected(mut errors: Vec<RowError>) -> Option<ImportOutcome> {
    if errors.is_empty() {
        return None;
    }
    errors.sort_by_key(|e| e.line);
    Some(ImportOutcome::Rejected(errors))
}

/// Runs an import in one write transaction: committed when every row was imported,
/// rolled back when any was refused (or anything failed).
pub async fn all_or_nothing(
    db: &sea_orm::DatabaseConnection,
    import: impl AsyncFnOnce(&crate::db::WriteTxn) -> AppResult<ImportOutcome>,
) -> AppResult<ImportOutcome> {
    let txn = crate::db::begin_write(db).await?;
    let outcome = import(&txn).await?;
    match outcome {
        ImportOutcome::Imported(_) => txn.commit().await?,
        ImportOutcome::Rejected(_) => txn.rollback().await?,
    }
    Ok(outcome)
}

/// A CSV file written from rows, every cell guarded against spreadsheet formulas; the
/// one way exports are written.
pub fn write<I, R>(header: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(header);
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| mahir_content::spreadsheet::neutralise_cell(c.as_ref()).into_owned())
            .collect();
        let _ = out.write_record(&cells);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_file_refusals() {
        let code = |bytes: &[u8]| match Table::read(bytes, &["a"]) {
            Err(e) => Some((e[0].line, e[0].problem.code)),
            Ok(_) => None,
        };
        assert_eq!(code(b"a\n\xff\n"), Some((1, Code::CsvNotUtf8)));
        assert_eq!(code(b"a\nx\ny\0\n"), Some((3, Code::InvalidText)));
        assert_eq!(code(b"b\nx\n"), Some((1, Code::CsvMissingColumns)));
        assert_eq!(code(b"a\n"), Some((1, Code::CsvEmpty)));
        assert_eq!(code(b"\xef\xbb\xbfA,b\nx,y\n"), None);
    }

    #[test]
    fn cells_by_column_and_bad_rows() -> Result<(), Vec<RowError>> {
        let t = Table::read(b"Code,level,text\n T.KI , 2,'-x\nx\n", &["code"])?;
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.get(&t.records[0], "text"), "-x");
        assert_eq!(t.get(&t.records[0], "code"), "T.KI");
        assert_eq!(t.get(&t.records[0], "level"), "2");
        assert_eq!(t.get(&t.records[0], "absent"), "");
        assert_eq!(t.errors.len(), 1);
        assert_eq!(t.errors[0].line, 3);
        let t = Table::read(b"code,text\nA,\"one\ntwo\"\nB,x\n", &["code"])?;
        let lines: Vec<usize> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4], "a row's line is where it begins");
        Ok(())
    }

    #[test]
    fn a_file_past_the_row_limit_is_refused_at_the_row_past_it() {
        let mut file = String::from("a\n");
        for i in 0..=MAX_ROWS {
            file.push_str(&format!("{i}\n"));
        }
        let t = Table::read(file.as_bytes(), &["a"]).expect("read");
        assert_eq!(t.records.len(), MAX_ROWS);
        assert_eq!(t.errors.len(), 1);
        assert_eq!(
            (t.errors[0].line, t.errors[0].problem.code),
            (MAX_ROWS + 2, Code::CsvTooManyRows)
        );
    }

    #[test]
    fn written_cells_are_guarded() {
        let text = write(&["a", "b"], [["=1+1", "ok"]]);
        assert!(text.starts_with("a,b\n"));
        assert!(text.contains("'=1+1"), "{text}");
    }
}
