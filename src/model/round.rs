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

    /// The agency a user named: see [`find_agency`].
    pub fn find_agency(&self, typed: &str) -> Result<usize, NoSuchAgency> {
        find_agency(&self.agencies, typed)
    }
}

/// Why a name typed for an agency picks none of the round's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSuchAgency {
    /// No agency is called that; the index of the one it is closest to, where one is
    /// close enough to be a typo.
    Unknown { near: Option<usize> },
    /// Several agencies are called that, as far as accents, case and spacing tell them
    /// apart: their indexes, in file order.
    Ambiguous(Vec<usize>),
}

/// The agency `typed` names, by its id (`so-noi-vu`) or its name (`Sở Nội vụ`), either of
/// them without accents, case or spacing (`so noi vu`, `SO NOI VU`): exact id first, then
/// exact name, then the id folded, then the name folded. Folding takes the marks off the
/// letters (đ becomes d), lowers the case and makes every run of other characters one
/// separator, so that the id and the name of most agencies fold to the same key.
pub fn find_agency(agencies: &[Agency], typed: &str) -> Result<usize, NoSuchAgency> {
    let typed = crate::text::nfc(typed.trim());
    let folded = crate::text::ascii_key(&typed);
    let by = |pick: &dyn Fn(&Agency) -> bool| -> Vec<usize> {
        agencies.iter().enumerate().filter(|(_, a)| pick(a)).map(|(i, _)| i).collect()
    };
    let tries: [&dyn Fn(&Agency) -> bool; 4] = [
        &|a: &Agency| a.id == typed,
        &|a: &Agency| crate::text::nfc(&a.name) == typed,
        &|a: &Agency| !folded.is_empty() && crate::text::ascii_key(&a.id) == folded,
        &|a: &Agency| !folded.is_empty() && crate::text::ascii_key(&a.name) == folded,
    ];
    for pick in tries {
        let found = by(pick);
        match found.as_slice() {
            [] => {}
            [one] => return Ok(*one),
            _ => return Err(NoSuchAgency::Ambiguous(found.clone())),
        }
    }
    // A typo: in the id or name as typed, else in their folded forms.
    let near = |words: Vec<String>, typed: &str| {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        crate::text::did_you_mean(typed, &words).and_then(|w| words.iter().position(|c| *c == w))
    };
    let plain = || agencies.iter().flat_map(|a| [a.id.clone(), a.name.clone()]).collect();
    let keys = || {
        agencies
            .iter()
            .flat_map(|a| [crate::text::ascii_key(&a.id), crate::text::ascii_key(&a.name)])
            .collect()
    };
    let found =
        near(plain(), &typed).or_else(|| near(keys(), &folded).filter(|_| !folded.is_empty()));
    Err(NoSuchAgency::Unknown { near: found.map(|i| i / 2) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agencies(list: &[(&str, &str)]) -> Vec<Agency> {
        list.iter()
            .map(|(id, name)| Agency {
                id: (*id).into(),
                name: (*name).into(),
                group: "so-nganh".into(),
            })
            .collect()
    }

    #[test]
    fn an_agency_is_found_by_id_or_name_with_or_without_accents() {
        let list = agencies(&[
            ("so-noi-vu", "Sở Nội vụ"),
            ("so-tu-phap", "Sở Tư pháp"),
            ("phuong-ba-dinh", "Phường Ba Đình"),
            ("ubnd", "Sở Y tế"),
        ]);
        for typed in [
            "so-noi-vu",
            "Sở Nội vụ",
            "so noi vu",
            "SO NOI VU",
            "Sở Nội Vụ",
            " so_noi_vu ",
            // NFD, as typed on macOS.
            "So\u{31b}\u{309} No\u{302}\u{323}i vu\u{323}",
        ] {
            assert_eq!(find_agency(&list, typed), Ok(0), "{typed:?}");
        }
        assert_eq!(find_agency(&list, "phuong ba dinh"), Ok(2));
        assert_eq!(find_agency(&list, "PHƯỜNG BA ĐÌNH"), Ok(2));
        // The name, when the id folds to nothing like it.
        assert_eq!(find_agency(&list, "so y te"), Ok(3));
        assert_eq!(find_agency(&list, "UBND"), Ok(3));
    }

    #[test]
    fn an_exact_match_wins_over_a_folded_one() {
        // "so-a"'s name folds to "so_b", the id of the other agency; the folded id goes
        // first, and an exact name before both.
        let list = agencies(&[("so-a", "So B"), ("so_b", "Sở A")]);
        assert_eq!(find_agency(&list, "so-a"), Ok(0));
        assert_eq!(find_agency(&list, "So B"), Ok(0));
        assert_eq!(find_agency(&list, "so b"), Ok(1));
        assert_eq!(find_agency(&list, "Sở A"), Ok(1));
    }

    #[test]
    fn two_agencies_that_fold_alike_are_not_guessed_between() {
        let list = agencies(&[("so-noi-vu", "Sở Nội vụ"), ("so_noi_vu", "Sở Nội Vụ (cũ)")]);
        assert_eq!(find_agency(&list, "so-noi-vu"), Ok(0));
        assert_eq!(find_agency(&list, "so_noi_vu"), Ok(1));
        assert_eq!(find_agency(&list, "SO NOI VU"), Err(NoSuchAgency::Ambiguous(vec![0, 1])));
        let twins = agencies(&[("a", "Sở Nội vụ"), ("b", "Sở Nội vụ")]);
        assert_eq!(find_agency(&twins, "Sở Nội vụ"), Err(NoSuchAgency::Ambiguous(vec![0, 1])));
    }

    #[test]
    fn a_typo_is_told_the_agency_it_is_close_to() {
        let list = agencies(&[("so-noi-vu", "Sở Nội vụ"), ("so-tu-phap", "Sở Tư pháp")]);
        let near = |typed| find_agency(&list, typed);
        assert_eq!(near("so-noi-vuu"), Err(NoSuchAgency::Unknown { near: Some(0) }));
        assert_eq!(near("Sở Tư phap."), Ok(1));
        assert_eq!(near("so tu phapp"), Err(NoSuchAgency::Unknown { near: Some(1) }));
        assert_eq!(near("so-tai-chinh-va-ke-hoach"), Err(NoSuchAgency::Unknown { near: None }));
        assert_eq!(near("---"), Err(NoSuchAgency::Unknown { near: None }));
    }

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
