//! The audit trail: what every machine output of `score` records so that a published
//! table can be traced to its inputs and produced again — the tool and its version, the
//! options that shape the output, the criteria set's id and digest, and every input
//! file's path and SHA-256. `parindex verify` reads it back.
//!
//! Where it goes: JSON carries it as `audit`; HTML in a `<meta name="parindex-audit">`
//! (and, for people, the inputs table it always had); a workbook in its document
//! properties; CSV, which has no place for it that a spreadsheet would not show as data,
//! in a sidecar file `RESULT.audit.json` beside it.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::layer::Stage;
use crate::model::output::{CsvForm, Format, Lang};
use crate::model::round::{InputFile, Role, Round};
use crate::score::results::Missing;
use crate::score::sensitivity::Level;

/// The name of the HTML meta element and of the workbook properties' prefix.
pub const NAME: &str = "parindex-audit";

/// Everything needed to trace a result to its inputs and make it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub tool: String,
    pub version: String,
    pub command: String,
    pub options: Options,
    pub criteria: Criteria,
    /// The round file first, where one was named; then every file it was scored from,
    /// in the order they are read.
    pub inputs: Vec<Input>,
}

/// The options that shape the output, each written as it is typed after its option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub stage: Stage,
    pub group: Option<String>,
    pub missing: Missing,
    pub format: Format,
    pub lang: Lang,
    /// How a CSV result was written: written only for the Vietnamese form, so that the
    /// trails of every other result, and those written before the form existed, are the
    /// bytes they were and read back as the keys form.
    #[serde(default, skip_serializing_if = "CsvForm::is_keys")]
    pub csv: CsvForm,
    /// `sensitivity` only: how it perturbed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Perturbation>,
}

/// The options of a `sensitivity` run, as they would be typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perturbation {
    pub runs: usize,
    pub seed: u64,
    /// Half the factors' range as a fraction (`--spread 25` is 0.25), written so that it
    /// reads back as the very same number.
    pub spread: String,
    pub level: Level,
    /// Whether the per-field table alone was written.
    pub fields: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub id: String,
    pub sha256: String,
}

/// One input file: its role, its path as it was named, and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub role: Role,
    pub path: String,
    pub sha256: String,
}

impl From<&InputFile> for Input {
    fn from(f: &InputFile) -> Self {
        Input { role: f.role, path: f.path.clone(), sha256: f.sha256.clone() }
    }
}

impl Audit {
    /// The audit of a result of `round`, made with `options`; `round_file` is the round
    /// file named on the command line, with its digest.
    pub fn new(round: &Round, command: &str, options: Options, round_file: Option<Input>) -> Self {
        let criteria_digest = round
            .inputs
            .iter()
            .find(|f| f.role == Role::Criteria)
            .map(|f| f.sha256.clone())
            .unwrap_or_default();
        Audit {
            tool: "parindex".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            options,
            criteria: Criteria { id: round.set.id.clone(), sha256: criteria_digest },
            inputs: round_file.into_iter().chain(round.inputs.iter().map(Input::from)).collect(),
        }
    }

    /// The input named as the round file, if there was one.
    pub fn round_file(&self) -> Option<&Input> {
        self.inputs.iter().find(|i| i.role == Role::Round)
    }

    /// The first input with `role`.
    pub fn input(&self, role: Role) -> Option<&Input> {
        self.inputs.iter().find(|i| i.role == role)
    }

    /// The audit as it is kept in a workbook's document properties: one short text per
    /// property, since spreadsheet programs show (and some cut) long ones.
    pub fn properties(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (format!("{NAME}.tool"), format!("{} {}", self.tool, self.version)),
            (format!("{NAME}.command"), self.command.clone()),
            (format!("{NAME}.stage"), name(&self.options.stage)),
            (format!("{NAME}.missing"), name(&self.options.missing)),
            (format!("{NAME}.format"), name(&self.options.format)),
            (format!("{NAME}.lang"), name(&self.options.lang)),
            (format!("{NAME}.criteria"), format!("{} {}", self.criteria.id, self.criteria.sha256)),
        ];
        if let Some(group) = &self.options.group {
            out.push((format!("{NAME}.group"), group.clone()));
        }
        // A workbook is no CSV, but the trail says all it holds wherever it is kept.
        if !self.options.csv.is_keys() {
            out.push((format!("{NAME}.csv"), name(&self.options.csv)));
        }
        if let Some(p) = &self.options.sensitivity {
            out.push((
                format!("{NAME}.sensitivity"),
                format!(
                    "runs {} seed {} spread {} level {} fields {}",
                    p.runs,
                    p.seed,
                    p.spread,
                    name(&p.level),
                    p.fields
                ),
            ));
        }
        for (n, input) in self.inputs.iter().enumerate() {
            out.push((
                format!("{NAME}.input.{}", n + 1),
                format!("{} {} {}", input.role, input.sha256, input.path),
            ));
        }
        out
    }

    /// The audit back from [`Audit::properties`]; `None` where one is missing or garbled.
    pub fn from_properties(properties: &[(String, String)]) -> Option<Self> {
        let get = |key: &str| {
            properties.iter().find(|(k, _)| *k == format!("{NAME}.{key}")).map(|(_, v)| v.clone())
        };
        let tool = get("tool")?;
        let (tool, version) = tool.split_once(' ')?;
        let criteria = get("criteria")?;
        let (id, sha256) = criteria.rsplit_once(' ')?;
        let mut inputs = Vec::new();
        for n in 1.. {
            let Some(line) = get(&format!("input.{n}")) else { break };
            let mut parts = line.splitn(3, ' ');
            let (role, sha256, path) = (parts.next()?, parts.next()?, parts.next()?);
            inputs.push(Input {
                role: role.parse().ok()?,
                path: path.into(),
                sha256: sha256.into(),
            });
        }
        Some(Audit {
            tool: tool.into(),
            version: version.into(),
            command: get("command")?,
            options: Options {
                stage: named(&get("stage")?)?,
                group: get("group"),
                missing: named(&get("missing")?)?,
                format: named(&get("format")?)?,
                lang: named(&get("lang")?)?,
                csv: match get("csv") {
                    None => CsvForm::Keys,
                    Some(form) => named(&form)?,
                },
                sensitivity: match get("sensitivity") {
                    None => None,
                    Some(text) => Some(Perturbation::from_words(&text)?),
                },
            },
            criteria: Criteria { id: id.into(), sha256: sha256.into() },
            inputs,
        })
    }

    /// The audit as the sidecar file beside a CSV result holds it, with the digest of
    /// the result it belongs to.
    pub fn sidecar(&self, result_sha256: &str) -> Vec<u8> {
        let doc = Sidecar { audit: self.clone(), result_sha256: result_sha256.into() };
        let mut out = serde_json::to_vec_pretty(&doc).expect("an audit serialises to JSON");
        out.push(b'\n');
        out
    }
}

impl Perturbation {
    /// Back from the words [`Audit::properties`] writes.
    fn from_words(text: &str) -> Option<Self> {
        let words: Vec<&str> = text.split(' ').collect();
        match words[..] {
            ["runs", runs, "seed", seed, "spread", spread, "level", level, "fields", fields] => {
                Some(Perturbation {
                    runs: runs.parse().ok()?,
                    seed: seed.parse().ok()?,
                    spread: spread.into(),
                    level: named(level)?,
                    fields: fields.parse().ok()?,
                })
            }
            _ => None,
        }
    }
}

/// The name of `value` (a [`Stage`], [`Format`] …) as the audit trail writes it: its
/// serde name, which is the one its option takes on the command line.
pub fn name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => unreachable!("the audit's options serialise as names"),
    }
}

/// The value [`name`] gives `name`, if it is one.
fn named<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.into())).ok()
}

/// The sidecar beside a CSV result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    pub audit: Audit,
    /// The SHA-256 of the CSV file the audit belongs to.
    pub result_sha256: String,
}

/// The sidecar's path for a CSV result written to `path`.
pub fn sidecar_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".audit.json");
    std::path::PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit() -> Audit {
        Audit {
            tool: "parindex".into(),
            version: "0.1.0".into(),
            command: "score".into(),
            options: Options {
                stage: Stage::Final,
                group: Some("so nganh".into()),
                missing: Missing::Zero,
                format: Format::Xlsx,
                lang: Lang::Vi,
                csv: CsvForm::Keys,
                sensitivity: None,
            },
            criteria: Criteria { id: "so-ban-nganh-2025".into(), sha256: "ab".repeat(32) },
            inputs: vec![
                Input {
                    role: Role::Round,
                    path: "vòng 1/round.toml".into(),
                    sha256: "01".repeat(32),
                },
                Input {
                    role: Role::SelfAssessment,
                    path: "a b/tự đánh giá.csv".into(),
                    sha256: "cd".repeat(32),
                },
            ],
        }
    }

    #[test]
    fn properties_read_back_as_written() {
        let a = audit();
        assert_eq!(Audit::from_properties(&a.properties()), Some(a.clone()));
        let vi = Audit { options: Options { csv: CsvForm::Vi, ..a.options.clone() }, ..a.clone() };
        assert_eq!(Audit::from_properties(&vi.properties()), Some(vi));
        let no_group = Audit { options: Options { group: None, ..a.options.clone() }, ..a };
        assert_eq!(Audit::from_properties(&no_group.properties()), Some(no_group.clone()));
        let perturbed = Perturbation {
            runs: 10_000,
            seed: 7,
            spread: "0.125".into(),
            level: Level::Criterion,
            fields: true,
        };
        let sensitivity = Audit {
            command: "sensitivity".into(),
            options: Options { sensitivity: Some(perturbed), ..no_group.options.clone() },
            ..no_group
        };
        assert_eq!(Audit::from_properties(&sensitivity.properties()), Some(sensitivity));
        assert_eq!(Audit::from_properties(&[]), None);
    }

    #[test]
    fn the_csv_form_is_written_only_when_it_is_vietnamese() {
        // The keys form leaves the trail as it was before the form existed, and a trail
        // without the key reads as the keys form.
        let keys = audit();
        let json = serde_json::to_value(&keys).unwrap();
        assert!(json["options"].get("csv").is_none(), "{json}");
        assert_eq!(serde_json::from_value::<Audit>(json).unwrap(), keys);
        let vi = Audit { options: Options { csv: CsvForm::Vi, ..keys.options.clone() }, ..keys };
        let json = serde_json::to_value(&vi).unwrap();
        assert_eq!(json["options"]["csv"], "vi");
        assert_eq!(serde_json::from_value::<Audit>(json).unwrap(), vi);
    }

    #[test]
    fn a_sidecar_sits_beside_its_result() {
        assert_eq!(
            sidecar_path(std::path::Path::new("ket-qua/2025.csv")),
            std::path::PathBuf::from("ket-qua/2025.csv.audit.json")
        );
    }
}
