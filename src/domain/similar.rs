//! How far apart two typed words are, for "did you mean": letters
//! inserted, removed, changed or swapped with a neighbour.

/// The edit distance between `a` and `b`, counting a swap of two
/// neighbouring letters as one edit (as people mistype).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn counts_each_kind_of_slip_once() {
        assert_eq!(edit_distance("checkin", "checkin"), 0);
        assert_eq!(edit_distance("chekin", "checkin"), 1);
        assert_eq!(edit_distance("chcekin", "checkin"), 1, "a swap");
        assert_eq!(edit_distance("berln", "berlin"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
