//! A scoring round in memory: the criteria set, who is scored, the layers of values
//! (self-assessment, appraisal rounds, survey) as read from their files, and the stack
//! they make.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::model::criteria::CriteriaSet;
use crate::model::layer::{Layer, LayerKind};
use crate::model::stack::Stack;

/// An agency that is scored (`agencies.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: String,
    pub name: String,
    /// Agencies are ranked inside their group.
    pub group: String,
}

/// One input file of a round, as reports cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub role: Role,
    pub path: String,
    pub sha256: String,
}

/// What an input file is to its round, named as reports cite it and the audit trail
/// records it: `round`, `criteria`, `agencies`, `self`, `appraisal-1` …, `survey`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The round file that names the others.
    Round,
    Criteria,
    Agencies,
    SelfAssessment,
    /// An appraisal round, numbered from 1 in the order given.
    Appraisal(usize),
    Survey,
    /// A raw table (spec §6), numbered from 1 in the order the round file names them.
    Table(usize),
}

impl Role {
    /// The role of the file a layer is read from; the computed layer is made of the
    /// round's tables, each cited on its own ([`Role::Table`]).
    pub fn of_layer(kind: LayerKind) -> Option<Role> {
        match kind {
            LayerKind::SelfAssessment => Some(Role::SelfAssessment),
            LayerKind::Appraisal(n) => Some(Role::Appraisal(n)),
            LayerKind::Survey => Some(Role::Survey),
            LayerKind::Computed => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Round => f.write_str("round"),
            Role::Criteria => f.write_str("criteria"),
            Role::Agencies => f.write_str("agencies"),
            Role::SelfAssessment => f.write_str("self"),
            Role::Appraisal(n) => write!(f, "appraisal-{n}"),
            Role::Survey => f.write_str("survey"),
            Role::Table(n) => write!(f, "table-{n}"),
        }
    }
}

impl FromStr for Role {
    type Err = String;

    /// The role named as [`Role`]'s `Display` writes it, and only so.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let role = match name {
            "round" => Role::Round,
            "criteria" => Role::Criteria,
            "agencies" => Role::Agencies,
            "self" => Role::SelfAssessment,
            "survey" => Role::Survey,
            _ => name
                .strip_prefix("appraisal-")
                .and_then(|n| n.parse().ok())
                .map(Role::Appraisal)
                .or_else(|| {
                    name.strip_prefix("table-").and_then(|n| n.parse().ok()).map(Role::Table)
                })
                .filter(|role| {
                    role.to_string() == name && !matches!(role, Role::Appraisal(0) | Role::Table(0))
                })
                .ok_or_else(|| format!("\"{name}\" is not the role of an input file"))?,
        };
        Ok(role)
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(de::Error::custom)
    }
}

/// Everything a round is scored from.
#[derive(Debug, Clone)]
pub struct Round {
    pub title: Option<String>,
    pub year: Option<i64>,
    /// The decision the results are published with, as far as the round file says.
    pub decision: crate::model::decision::Decision,
    pub set: CriteriaSet,
    pub agencies: Vec<Agency>,
    /// The self-assessment first, then the appraisal rounds in order, then the survey.
    pub layers: Vec<Layer>,
    /// Every file read, in the order above, with its digest.
    pub inputs: Vec<InputFile>,
    /// The layers laid over each other: what scoring reads. Where the files were read
    /// straight into it, the layers hold no cells.
    pub stack: Stack,
    /// Group id → the name people know the group by ("Sở, ban, ngành"), from the round
    /// file's `[groups]` or the agencies file's `group_name` column; only the groups
    /// given one.
    pub group_names: BTreeMap<String, String>,
}

impl Round {
    /// The name a group is shown by: its display name, or its id where none is given.
    pub fn group_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.group_names.get(id).map_or(id, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_reads_back_as_written() {
        let roles = [
            Role::Round,
            Role::Criteria,
            Role::Agencies,
            Role::SelfAssessment,
            Role::Appraisal(1),
            Role::Appraisal(12),
            Role::Survey,
            Role::Table(1),
            Role::Table(3),
        ];
        for role in roles {
            assert_eq!(role.to_string().parse(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{role}\""));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
        assert_eq!(Role::SelfAssessment.to_string(), "self");
        assert_eq!(Role::Appraisal(2).to_string(), "appraisal-2");
        for name in [
            "table-0",
            "table-",
            "table-x",
            "appraisal-0",
            "appraisal-01",
            "appraisal-",
            "appraisal-x",
            "Self",
            "",
        ] {
            assert!(name.parse::<Role>().is_err(), "{name}");
        }
    }
}
