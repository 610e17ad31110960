//! The keys of a criteria file as first read, before the tree is built: the set's own
//! keys and each node's common keys, shared by the loader, the tree and the rules.

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::criteria::{Kind, NaPolicy, RankBy, RoundFields};
use crate::read::fields::{At, Fields};
use crate::tr;

/// The set's own keys, as read.
pub(super) struct Head {
    pub id: Option<String>,
    pub title: Option<String>,
    pub year: Option<i64>,
    pub decision: Option<String>,
    pub max: Option<At<Decimal>>,
    pub decimals: u32,
    pub na_policy: NaPolicy,
    pub evidence_required: bool,
    pub survey_optional: bool,
    pub rank_by: RankBy,
    pub round_fields: RoundFields,
    pub round_leaves: bool,
}

/// One `[[node]]` table with the keys every node has; leaf keys are read once the tree
/// tells which nodes are leaves.
pub(super) struct RawNode<'t, 'i> {
    pub fields: Fields<'t, 'i>,
    pub code: Option<At<String>>,
    pub name: Option<At<String>>,
    pub max: Option<At<Decimal>>,
    pub parent: Option<At<String>>,
    pub kind: Option<At<Kind>>,
    pub weight: Option<At<Decimal>>,
    pub cap: Option<At<bool>>,
    pub note: Option<String>,
    pub line: usize,
    /// Whether reading these keys found an error: sums over such a node are not checked.
    pub doubtful: bool,
    /// The file's text, for mapping places inside a key's text (an expression's columns).
    pub text: &'i str,
}

/// A text key whose value must be one of `names`; `what` says what the names are.
pub(super) fn named(
    fields: &Fields<'_, '_>,
    key: &str,
    names: &[&str],
    what: &Text,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = fields.text(key, out)?;
    if names.contains(&value.value.as_str()) {
        return Some(value.value);
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let v = &value.value;
    let mut d = Diagnostic::error(
        "unknown-name",
        Text::new(
            format!("`{key}` of {}: there is no {} \"{v}\"", fields.what.en, what.en),
            format!("`{key}` của {}: không có {} \"{v}\"", fields.what.vi, what.vi),
        ),
    )
    .at(
        value.span,
        Text::new(
            format!("expected {}", quoted.join(" or ")),
            format!("cần {}", quoted.join(" hoặc ")),
        ),
    );
    if let Some(near) = crate::text::did_you_mean(v, names) {
        d = d.help(tr!("did you mean \"{near}\"?", "có phải là \"{near}\"?"));
    }
    out.push(d);
    None
}
