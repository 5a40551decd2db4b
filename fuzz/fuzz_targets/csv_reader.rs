//! The csv reader on any bytes: see `common.rs`.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read_all(data, lurescan::input::Format::Csv));
