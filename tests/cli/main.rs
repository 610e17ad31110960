//! Tests of what a user of the `parindex` binary sees: stdout, stderr and exit code, run
//! with a clean environment, plus property tests of the library's loaders and a check of
//! the source's module layering (`layers`).

mod again;
mod check;
mod computed;
mod documents;
mod errors;
mod fuzz;
mod generate;
mod groups;
mod help;
mod html;
mod import;
mod layers;
mod messages;
mod outputs;
mod props;
mod score;
mod sensitivity;
mod status;
mod support;
mod terminal;
mod verify;
mod vi_csv;
mod views;
