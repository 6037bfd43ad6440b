//! The platform's memory of what it showed, kept in a file so it outlives
//! a killed process as Discord's and Matrix's do: a message is shown once
//! per idempotency key, the first time it is sent; a repeat (the outbox
//! sending again what a dead process had claimed) is counted, not shown.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rapport::delivery::{BoxFuture, ChatPort, DeliveryError, Readers, Sent};
use rapport::domain::{Platform, Posted, Reply, SpaceRef, UserRef};

pub struct ShownPort {
    inner: Arc<dyn ChatPort>,
    state: Mutex<Shown>,
}

struct Shown {
    keys: HashSet<String>,
    log: File,
    repeats: File,
}

/// Keys shown, one a line, and the keys sent again after being shown.
pub fn read(dir: &Path) -> (Vec<String>, usize) {
    let lines = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    (lines("shown.log"), lines("repeats.log").len())
}

impl ShownPort {
    pub fn open(dir: &Path, inner: Arc<dyn ChatPort>) -> anyhow::Result<ShownPort> {
        let (shown, _) = read(dir);
        let append = |name: &str| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join(name))
        };
        let mut log = append("shown.log")?;
        // A line a kill tore must not run into the next.
        log.write_all(b"\n")?;
        Ok(ShownPort {
            inner,
            state: Mutex::new(Shown {
                keys: shown.into_iter().collect(),
                log,
                repeats: append("repeats.log")?,
            }),
        })
    }

    /// `true` the first time `key` is shown: then it is written down first,
    /// as the platform records a message as it shows it.
    fn first_time(&self, key: &str) -> Result<bool, DeliveryError> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let write = |file: &mut File| {
            file.write_all(format!("{key}\n").as_bytes())
                .map_err(|error| DeliveryError::Transient(error.to_string()))
        };
        if state.keys.contains(key) {
            write(&mut state.repeats)?;
            return Ok(false);
        }
        write(&mut state.log)?;
        state.keys.insert(key.to_owned());
        Ok(true)
    }
}

impl ChatPort for ShownPort {
    fn platform(&self) -> Platform {
        self.inner.platform()
    }

    fn send_to_user<'a>(&'a self, user: &'a UserRef, key: &'a str, reply: &'a Reply) -> Sent<'a> {
        Box::pin(async move {
            match self.first_time(key)? {
                true => self.inner.send_to_user(user, key, reply).await,
                false => Ok(Posted::default()),
            }
        })
    }

    fn send_to_space<'a>(
        &'a self,
        space: &'a SpaceRef,
        key: &'a str,
        reply: &'a Reply,
    ) -> Sent<'a> {
        Box::pin(async move {
            match self.first_time(key)? {
                true => self.inner.send_to_space(space, key, reply).await,
                false => Ok(Posted::default()),
            }
        })
    }

    fn space_readers<'a>(
        &'a self,
        space: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        self.inner.space_readers(space)
    }

    fn retract<'a>(&'a self, posted: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        self.inner.retract(posted)
    }
}
