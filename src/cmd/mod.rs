//! One module per subcommand; each takes a plan with every option already resolved.

pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod explain;
pub(crate) mod generate;
pub(crate) mod import;
pub(crate) mod pdf;
pub(crate) mod score;
pub(crate) mod sensitivity;
pub(crate) mod session;
pub(crate) mod status;
pub(crate) mod template;
pub(crate) mod verify;
