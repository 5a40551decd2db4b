//! `lurescan-train` trains, evaluates and fine-tunes lurescan models on labelled data. It builds on the `lurescan`
//! crate's model definition and record rendering and adds only data, loss, optimiser, schedule, metrics and
//! checkpoints.
