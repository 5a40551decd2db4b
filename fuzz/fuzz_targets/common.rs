//! What every reader target checks: one row per record, numbered 1, 2, … in order, lines increasing, and turning a
//! row into a record or an id never panics.

use lurescan::input::{Format, RowReader};

pub fn read_all(data: &[u8], format: Format) {
    let mut previous_line = 0;
    let mut number = 0;
    // A 7-byte buffer splits records, line ends and multi-byte characters across reads.
    for row in RowReader::new(std::io::BufReader::with_capacity(7, data), format) {
        let Ok(row) = row else { break };
        number += 1;
        assert_eq!(row.number, number, "rows are numbered in order");
        assert!(row.line > previous_line, "lines increase: {} after {previous_line}", row.line);
        previous_line = row.line;
        let _ = row.id();
        if let Ok(record) = row.record() {
            let _ = lurescan::render(&record, &lurescan::RenderConfig::default());
        }
    }
}
