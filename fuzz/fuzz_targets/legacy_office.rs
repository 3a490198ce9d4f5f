//! The readers the reader child runs (`formats::sandbox`), in-process:
//! OLE2 compound files (the `cfb` container, `.doc` and `.ppt` text,
//! encrypted and unsupported streams) and leakscan's own `.doc` piece table
//! and `.ppt` record readers on arbitrary stream bytes.
//!
//! In the binary these run under the child's address-space and CPU limits,
//! so an abort there costs one file (a recorded gap), not the scan. Here a
//! crash is still worth knowing: a panic or an unbounded allocation in
//! leakscan's own part (the `.doc` piece table, the `.ppt` records, the
//! CSV of a sheet) is a bug even though the child contains it. The first
//! byte picks the reader.
//!
//! Compound files holding a BIFF workbook are left out: calamine's `.xls`
//! reader reserves its cell table from sizes in the file (it aborted this
//! target within 613 runs, as calamine issues #174/#481 describe), which is
//! what the child's limits are for; so are `.xlsb` and `.ods`, read by calamine too,
//! (`tests/office.rs`: `a_workbook_on_which_calamine_reserves_without_bound_is_a_gap`).
#![no_main]

use leakscan::formats::{doc, ole2, ppt, sandbox::Frames};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let mut frames = Frames::new(Vec::new());
    let _ = match pick % 4 {
        // the compound file as it comes: container, encryption, dispatch
        0 if holds_workbook(body) => return,
        0 => ole2::read(body, &mut frames),
        // leakscan's own readers of the streams, on arbitrary stream bytes
        1 => doc::table_stream(body).map(|_| ()).or(Ok(())),
        2 => {
            let (document, table) = body.split_at(body.len() / 2);
            doc::text(document, table).map(|_| ()).or(Ok(()))
        }
        _ => ppt::text(body).map(|_| ()).or(Ok(())),
    };
});

/// Whether `data` is a compound file with a `Workbook` or `Book` stream.
fn holds_workbook(data: &[u8]) -> bool {
    cfb::CompoundFile::open(std::io::Cursor::new(data))
        .is_ok_and(|f| f.is_stream("/Workbook") || f.is_stream("/Book"))
}
