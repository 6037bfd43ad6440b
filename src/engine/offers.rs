//! The choices offered where people pick one by typing its number or
//! reacting with its keycap (Matrix): remembered by the message that
//! offered them, so a pick made after a restart still runs what was asked.
//!
//! What a choice is about (a round, an invite, a goal day) is in its
//! command and goes to the store. A choice whose command repeats the
//! person's own words ([`Choice::holds_words`], the reword feeling menu) is
//! kept in memory only; its stored row has no command, so a pick after a
//! restart is told kindly that it expired instead of being lost.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::domain::{Choice, Platform, Reply};
use crate::prompts::{Catalog, Key};
pub use crate::store::choice_offers::OfferedAt;
use crate::store::choice_offers::{self, StoredChoice};
use crate::store::{Store, Tx};

/// How long an offer can still be picked from.
pub const KEPT: chrono::Duration = chrono::Duration::days(7);

/// Offers whose words are remembered in memory (oldest forgotten first).
const REMEMBERED_IN_MEMORY: usize = 2000;

/// What a pick comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// Run this command as if the person had typed it.
    Run(String),
    /// Say this instead: the choice can no longer be picked.
    Answer(Reply),
    /// No choice of ours has that number there.
    Nothing,
}

/// The offers, in the store and (for words) in memory.
pub struct Offers {
    store: Store,
    clock: Arc<dyn Clock>,
    catalog: Arc<Catalog>,
    memory: Mutex<WordsInMemory>,
}

/// The commands of word-holding choices, by the message that offered them.
#[derive(Default)]
struct WordsInMemory {
    by_message: HashMap<(Platform, String), Vec<Choice>>,
    order: VecDeque<(Platform, String)>,
}

impl Offers {
    pub fn new(store: Store, clock: Arc<dyn Clock>, catalog: Arc<Catalog>) -> Offers {
        Offers {
            store,
            clock,
            catalog,
            memory: Mutex::new(WordsInMemory::default()),
        }
    }

    /// Remembers the choices a sent message offered. A failure is logged:
    /// the message is out, and typing the command still works.
    pub async fn offered(&self, at: OfferedAt<'_>, choices: &[Choice]) {
        if choices.is_empty() {
            return;
        }
        if choices.iter().any(|choice| choice.holds_words) {
            self.remember_words(at, choices);
        }
        if let Err(error) = self.record(at, choices).await {
            tracing::warn!(error.cause_chain = ?error, "cannot remember the choices offered");
        }
    }

    async fn record(&self, at: OfferedAt<'_>, choices: &[Choice]) -> anyhow::Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        for (index, choice) in choices.iter().enumerate() {
            let stored = StoredChoice {
                command: (!choice.holds_words).then(|| choice.command.clone()),
                note: choice.note.clone(),
            };
            choice_offers::record(&mut tx, at, index + 1, &stored, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    fn remember_words(&self, at: OfferedAt<'_>, choices: &[Choice]) {
        let key = (at.platform, at.message.to_owned());
        let mut memory = self.memory();
        if memory
            .by_message
            .insert(key.clone(), choices.to_vec())
            .is_none()
        {
            memory.order.push_back(key);
        }
        if memory.order.len() > REMEMBERED_IN_MEMORY
            && let Some(oldest) = memory.order.pop_front()
        {
            memory.by_message.remove(&oldest);
        }
    }

    /// The choice numbered `number` (from 1) of the offer made by
    /// `message`, or, without one (a typed number), of the newest offer
    /// made in `place`.
    pub async fn picked(
        &self,
        platform: Platform,
        place: &str,
        message: Option<&str>,
        number: usize,
    ) -> Picked {
        match self.look_up(platform, place, message, number).await {
            Ok(picked) => picked,
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "cannot read the choices offered");
                self.expired()
            }
        }
    }

    async fn look_up(
        &self,
        platform: Platform,
        place: &str,
        message: Option<&str>,
        number: usize,
    ) -> anyhow::Result<Picked> {
        let mut tx = self.store.begin().await?;
        let message = match message {
            Some(message) => Some(message.to_owned()),
            None => choice_offers::latest_in(&mut tx, platform, place).await?,
        };
        let Some(message) = message else {
            return Ok(Picked::Nothing);
        };
        let stored = choice_offers::on_message(&mut tx, platform, &message, number).await?;
        tx.commit().await?;
        Ok(match stored {
            None => Picked::Nothing,
            Some(StoredChoice {
                command: Some(command),
                ..
            }) => Picked::Run(command),
            Some(StoredChoice { command: None, .. }) => {
                match self.in_memory(platform, &message, number) {
                    Some(command) => Picked::Run(command),
                    None => self.expired(),
                }
            }
        })
    }

    fn in_memory(&self, platform: Platform, message: &str, number: usize) -> Option<String> {
        let memory = self.memory();
        let choices = memory.by_message.get(&(platform, message.to_owned()))?;
        Some(choices.get(number.checked_sub(1)?)?.command.clone())
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, WordsInMemory> {
        self.memory
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn expired(&self) -> Picked {
        Picked::Answer(Reply::private(self.catalog.text(Key::ChoiceExpired)))
    }
}

/// Forgets offers older than [`KEPT`] (the scheduler's pass).
pub(crate) async fn forget_old(tx: &mut Tx, now: DateTime<Utc>) -> anyhow::Result<u64> {
    choice_offers::forget_before(tx, now - KEPT).await
}
