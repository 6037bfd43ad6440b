//! The choices the bot offered, remembered in memory so a typed number or
//! a keycap reaction can pick one.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId};

use crate::domain::Choice;

/// Choices remembered per message, for reactions (oldest dropped first).
const REMEMBERED_CHOICES: usize = 2000;

/// Choices by the event that offered them, with the events in order so
/// the oldest can be forgotten.
type ChoicesByEvent = (HashMap<OwnedEventId, Vec<Choice>>, VecDeque<OwnedEventId>);

/// The choices offered, by room (for a typed number) and by event (for a
/// reaction). Memory only: after a restart the typed command still works.
#[derive(Default)]
pub(crate) struct ChoiceMemory {
    by_room: Mutex<HashMap<OwnedRoomId, Vec<Choice>>>,
    by_event: Mutex<ChoicesByEvent>,
}

impl ChoiceMemory {
    pub(crate) fn offered(
        &self,
        room: &OwnedRoomId,
        event: Option<OwnedEventId>,
        choices: &[Choice],
    ) {
        if choices.is_empty() {
            return;
        }
        lock(&self.by_room).insert(room.clone(), choices.to_vec());
        if let Some(event) = event {
            let mut guard = lock(&self.by_event);
            let (map, order) = &mut *guard;
            map.insert(event.clone(), choices.to_vec());
            order.push_back(event);
            if order.len() > REMEMBERED_CHOICES
                && let Some(oldest) = order.pop_front()
            {
                map.remove(&oldest);
            }
        }
    }

    pub(super) fn in_room(&self, room: &OwnedRoomId, number: usize) -> Option<Choice> {
        lock(&self.by_room).get(room)?.get(number - 1).cloned()
    }

    pub(super) fn on_event(&self, event: &OwnedEventId, number: usize) -> Option<Choice> {
        lock(&self.by_event).0.get(event)?.get(number - 1).cloned()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
