//! The `lurescan` command line: glue that parses flags into the libraries' own types, calls them, and prints.

use mimalloc::MiMalloc;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() {}
