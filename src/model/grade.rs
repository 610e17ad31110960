//! Grades (xếp loại): bands of the index, highest first.

use rust_decimal::Decimal;

/// One grade: an index of at least `min` earns it, unless a higher grade is met first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub name: String,
    pub min: Decimal,
}

/// The first grade, in the set's order (highest first), whose `min` the index meets.
pub fn grade_for(grades: &[Grade], index: Decimal) -> Option<&Grade> {
    grades.iter().find(|g| index >= g.min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_met_grade_wins() {
        let grades = [
            Grade { name: "Xuất sắc".into(), min: Decimal::from(90) },
            Grade { name: "Tốt".into(), min: Decimal::from(80) },
            Grade { name: "Khá".into(), min: Decimal::from(70) },
        ];
        assert_eq!(grade_for(&grades, Decimal::from(90)).unwrap().name, "Xuất sắc");
        assert_eq!(grade_for(&grades, Decimal::new(8999, 2)).unwrap().name, "Tốt");
        assert_eq!(grade_for(&grades, Decimal::new(6999, 2)), None);
    }
}
