//! One module per subcommand; each takes a plan with every option already resolved.

pub mod check;
pub mod compare;
pub mod completions;
pub mod explain;
pub mod generate;
pub mod score;
pub mod sensitivity;
pub mod session;
pub mod template;
pub mod verify;
