//! `[discord] shards = "0-1/4"`: which of the bot's gateway shards this
//! process runs (here 0 and 1 of 4; `"2/4"` is shard 2 alone). Unset, a
//! process runs them all, as many as Discord recommends. A process's
//! shards are fixed for its life: the service manager restarts a dead one
//! with the same range.

use std::fmt;
use std::str::FromStr;

/// Shards `first..=last` of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub count: u32,
}

impl ShardRange {
    /// How many shards this process runs.
    pub fn len(&self) -> u32 {
        self.last - self.first + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

impl FromStr for ShardRange {
    type Err = ();

    fn from_str(text: &str) -> Result<ShardRange, ()> {
        let (range, count) = text.trim().split_once('/').ok_or(())?;
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| ());
        let (first, last) = match range.split_once('-') {
            Some((first, last)) => (number(first)?, number(last)?),
            None => (number(range)?, number(range)?),
        };
        let count = number(count)?;
        if first > last || last >= count {
            return Err(());
        }
        Ok(ShardRange { first, last, count })
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}/{}", self.first, self.last, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_a_single_shard_and_their_limits_parse() {
        let range: ShardRange = "0-1/4".parse().unwrap();
        assert_eq!(
            (range.first, range.last, range.count, range.len()),
            (0, 1, 4, 2)
        );
        assert_eq!(range.to_string(), "0-1/4");
        let single: ShardRange = " 3 / 4 ".parse().unwrap();
        assert_eq!((single.first, single.last), (3, 3));
        for wrong in ["", "4", "1-0/4", "0-4/4", "2/2", "a-b/c", "0-1/0", "-1/4"] {
            assert!(wrong.parse::<ShardRange>().is_err(), "{wrong:?}");
        }
    }
}
