//! Criterion benches of the `lurescan` crate: `cargo bench -p lurescan`. Run with `CANDLE_NUM_THREADS=1` to
//! measure `predict` the way the CLI runs it (batches in parallel, one thread each).

mod attention;
mod infer;
mod int8;
mod random_model;

criterion::criterion_main!(attention::benches, infer::benches, int8::benches);
