//! Exact numbers from TOML: read from the literal's own digits, never through a float, so
//! `0.1` is one tenth and a band bound of `90` is exactly ninety.

use rust_decimal::Decimal;
use toml::de::{DeFloat, DeInteger};

use crate::lang::Text;
use crate::tr;

/// The most decimal places a figure in a criteria set may carry. Published sets use at
/// most three (0.125 points); more is a slip of the keyboard.
pub(crate) const MAX_PLACES: u32 = 6;

/// The largest magnitude a figure may have: far above any real maximum or threshold, and
/// small enough that sums and weighted averages stay far inside `Decimal`'s range.
pub(crate) const LIMIT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// Why a TOML number cannot be used as an exact figure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NumberError {
    #[error("`{0}` is not a finite number")]
    NotFinite(String),
    #[error("`{literal}` has {places} decimal places; at most {MAX_PLACES} are allowed")]
    TooPrecise { literal: String, places: u32 },
    #[error("`{0}` is too large; figures must lie between -{LIMIT} and {LIMIT}")]
    TooLarge(String),
}

impl NumberError {
    /// What is wrong with the figure, in both languages, for a message.
    pub(crate) fn text(&self) -> Text {
        match self {
            NumberError::NotFinite(literal) => {
                tr!(
                    "`{literal}` is not a finite number",
                    "`{literal}` không phải là một số hữu hạn"
                )
            }
            NumberError::TooPrecise { literal, places } => tr!(
                "`{literal}` has {places} decimal places; at most {MAX_PLACES} are allowed",
                "`{literal}` có {places} chữ số thập phân; chỉ được tối đa {MAX_PLACES}"
            ),
            NumberError::TooLarge(literal) => tr!(
                "`{literal}` is too large; figures must lie between -{LIMIT} and {LIMIT}",
                "`{literal}` quá lớn; số liệu phải nằm trong khoảng từ -{LIMIT} đến {LIMIT}"
            ),
        }
    }
}

/// An integer literal, in any radix TOML allows.
pub(crate) fn from_integer(value: &DeInteger<'_>) -> Result<Decimal, NumberError> {
    i128::from_str_radix(value.as_str(), value.radix())
        .ok()
        .and_then(|i| Decimal::try_from_i128_with_scale(i, 0).ok())
        .filter(|d| d.abs() <= LIMIT)
        .ok_or_else(|| NumberError::TooLarge(value.to_string()))
}

/// A float literal (`0.5`, `1e2`, `2.5E-1`); `inf` and `nan` are refused.
pub(crate) fn from_float(value: &DeFloat<'_>) -> Result<Decimal, NumberError> {
    let literal = value.as_str().replace('_', "");
    if literal.contains("inf") || literal.contains("nan") {
        return Err(NumberError::NotFinite(literal));
    }
    let parsed = if literal.contains(['e', 'E']) {
        Decimal::from_scientific(&literal)
    } else {
        Decimal::from_str_exact(&literal)
    };
    let Ok(number) = parsed else {
        // The literal has more digits than a Decimal holds: far more than MAX_PLACES, or
        // far larger than LIMIT.
        return Err(if literal.contains(['e', 'E']) || !literal.contains('.') {
            NumberError::TooLarge(literal)
        } else {
            let places = literal.split('.').nth(1).map_or(0, str::len);
            NumberError::TooPrecise { literal, places: u32::try_from(places).unwrap_or(u32::MAX) }
        });
    };
    let number = number.normalize();
    if number.abs() > LIMIT {
        return Err(NumberError::TooLarge(literal));
    }
    if number.scale() > MAX_PLACES {
        return Err(NumberError::TooPrecise { places: number.scale(), literal });
    }
    Ok(number)
}

/// Whether `value` is a multiple of `step` (both exact).
pub(crate) fn is_multiple(value: Decimal, step: Decimal) -> bool {
    !step.is_zero() && (value % step).is_zero()
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::de::{DeTable, DeValue};

    fn read(literal: &str) -> Result<Decimal, NumberError> {
        let text = format!("x = {literal}");
        let table = DeTable::parse(&text).unwrap();
        match table.get_ref().get("x").unwrap().get_ref() {
            DeValue::Integer(i) => from_integer(i),
            DeValue::Float(f) => from_float(f),
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn literals_are_read_exactly() {
        assert_eq!(read("0.1").unwrap().to_string(), "0.1");
        assert_eq!(read("1_000.25").unwrap().to_string(), "1000.25");
        assert_eq!(read("2.5e-1").unwrap().to_string(), "0.25");
        assert_eq!(read("0x10").unwrap().to_string(), "16");
        assert_eq!(read("-3").unwrap().to_string(), "-3");
        assert_eq!(read("13.50").unwrap().to_string(), "13.5");
    }

    #[test]
    fn impossible_figures_are_refused() {
        assert!(matches!(read("inf"), Err(NumberError::NotFinite(_))));
        assert!(matches!(read("-inf"), Err(NumberError::NotFinite(_))));
        assert!(matches!(read("nan"), Err(NumberError::NotFinite(_))));
        assert!(matches!(read("1e309"), Err(NumberError::TooLarge(_))));
        assert!(matches!(read("9999999999"), Err(NumberError::TooLarge(_))));
        assert!(matches!(read("0.1234567"), Err(NumberError::TooPrecise { places: 7, .. })));
        assert!(matches!(
            read("0.12345678901234567890123456789012345"),
            Err(NumberError::TooPrecise { places: 35, .. })
        ));
    }

    #[test]
    fn multiples_are_exact() {
        assert!(is_multiple(Decimal::new(15, 1), Decimal::new(25, 2)));
        assert!(!is_multiple(Decimal::ONE, Decimal::new(3, 1)));
        assert!(!is_multiple(Decimal::ONE, Decimal::ZERO));
    }
}
