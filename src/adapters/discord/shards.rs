//! Which of this process's gateway shards are connected: the adapter
//! counts as connected (for `/readyz` and the gauge) only while all are.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::config::ShardRange;

pub(super) struct ShardsUp {
    /// How many shards this process runs; 0 until Discord says how many
    /// there are, when it runs them all.
    expected: AtomicU32,
    up: Mutex<HashSet<u32>>,
}

impl ShardsUp {
    pub(super) fn new(range: Option<ShardRange>) -> ShardsUp {
        ShardsUp {
            expected: AtomicU32::new(range.map_or(0, |range| range.len())),
            up: Mutex::new(HashSet::new()),
        }
    }

    /// Shard `shard` of `total` said READY; whether all are up now.
    pub(super) fn ready(&self, shard: u32, total: u32) -> bool {
        let _ = self
            .expected
            .compare_exchange(0, total, Ordering::SeqCst, Ordering::SeqCst);
        self.set(shard, true)
    }

    /// A shard connected or lost its connection; whether all are up now.
    pub(super) fn set(&self, shard: u32, connected: bool) -> bool {
        let mut up = self
            .up
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match connected {
            true => up.insert(shard),
            false => up.remove(&shard),
        };
        let expected = self.expected.load(Ordering::SeqCst).max(1);
        up.len() >= expected as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connected_only_while_every_shard_of_the_range_is() {
        let shards = ShardsUp::new("0-1/4".parse().ok());
        assert!(!shards.ready(0, 4));
        assert!(shards.ready(1, 4));
        assert!(!shards.set(0, false));
        assert!(shards.set(0, true));
    }

    #[test]
    fn with_no_range_the_count_comes_from_ready() {
        let shards = ShardsUp::new(None);
        assert!(!shards.ready(0, 2));
        assert!(shards.ready(1, 2));
    }
}
