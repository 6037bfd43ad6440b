//! What a command handler works with: the open transaction, the person
//! acting (already in the store) and where they are, with the checks every
//! handler shares (whose couple this is, ending a couple).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Engine;
use super::message::{Actor, Outgoing, Place, Source};
use crate::domain::{Choice, Reply, UserRef};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples::{self, Couple};
use crate::store::users::User;
use crate::store::{Tx, outbox, recaps, rounds, schedules};

/// What a command handler works with: the open transaction, the person
/// acting (already in the store) and where they are.
pub(crate) struct Ctx<'a> {
    pub(super) engine: &'a Engine,
    pub(super) tx: &'a mut Tx,
    pub(super) actor: &'a Actor,
    pub(super) me: User,
    pub(super) place: &'a Place,
    /// The chat message the request came in, when it can be edited.
    pub(super) source: &'a Source,
    pub(super) now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// Renders a prompt.
    pub(super) fn say(&self, key: Key, vars: &[(&str, &str)]) -> String {
        self.engine.catalog.render(key, vars)
    }

    /// A private note to the requester, and a question to the partner with
    /// choices (label key, command) that answer it.
    pub(super) fn ask_partner(
        &self,
        to_me: String,
        partner: UserRef,
        to_partner: String,
        choices: &[(Key, String)],
    ) -> Vec<Outgoing> {
        let choices = choices
            .iter()
            .map(|(label, command)| Choice::new(self.say(*label, &[]), command.clone()))
            .collect();
        vec![
            Outgoing::to_requester(Reply::private(to_me)),
            // A question to the partner: it should reach their phone.
            Outgoing::to_user(
                partner,
                Reply::private(to_partner).with_choices(choices).notifying(),
            ),
        ]
    }

    /// A person as others should know them: the display name anyone can
    /// choose, with the handle nobody else can beside it.
    pub(super) fn named(&self, user: &User) -> String {
        named(&user.display_name, user.handle.as_deref())
    }

    /// The requester, named the same way.
    pub(super) fn me_named(&self) -> String {
        named(&self.actor.display_name, self.actor.handle.as_deref())
    }

    /// The ids of the actor's couple's members (just the actor when
    /// unpaired): whose words a couple-wide view repeats.
    pub(super) async fn couple_members(&mut self) -> EngineResult<Vec<i64>> {
        let Some(couple) = couples::active_for_user(self.tx, self.me.id).await? else {
            return Ok(vec![self.me.id]);
        };
        let members = crate::store::users::in_couple(self.tx, couple.id).await?;
        Ok(members.into_iter().map(|member| member.id).collect())
    }

    /// The day of `at` as `reader` sees it, in their zone ("Wed 1 Apr 2026").
    pub(super) fn day_for(&self, at: DateTime<Utc>, reader: &User) -> String {
        at.with_timezone(&self.zone_of(reader))
            .format(self.engine.catalog.text(Key::FormatDate))
            .to_string()
    }

    /// The zone to show times to a person in.
    pub(super) fn zone_of(&self, user: &User) -> Tz {
        user.time_zone.unwrap_or(self.engine.policy.default_zone)
    }
}

impl Ctx<'_> {
    /// Refuses when the request comes from a space that serves a couple the
    /// actor is not part of: nobody acts on another couple's data.
    pub(super) async fn refuse_foreign_space(&mut self) -> EngineResult<()> {
        let Place::Space(space) = self.place else {
            return Ok(());
        };
        let Some(owner) = couples::active_for_space(self.tx, space).await? else {
            return Ok(());
        };
        let mine = couples::active_for_user(self.tx, self.me.id).await?;
        if mine.map(|couple| couple.id) == Some(owner.id) {
            Ok(())
        } else {
            Err(UserError::NotYourCouple.into())
        }
    }

    /// The actor's active couple, refused outside it or when unpaired.
    pub(super) async fn my_couple(&mut self) -> EngineResult<Couple> {
        self.refuse_foreign_space().await?;
        couples::active_for_user(self.tx, self.me.id)
            .await?
            .ok_or_else(|| UserError::NotPaired.into())
    }

    /// Ends a couple. Everything that belongs to the couple and runs on its
    /// own (schedules, reminders) must stop here, in the same transaction.
    pub(super) async fn end_couple(&mut self, couple_id: i64) -> EngineResult<()> {
        couples::end(self.tx, couple_id, self.now).await?;
        schedules::end_all_for_couple(self.tx, couple_id, self.now).await?;
        rounds::close_all_for_couple(self.tx, couple_id, self.now).await?;
        outbox::cancel_for_couple(self.tx, couple_id, self.now).await?;
        crate::store::goals::end_all_for_couple(self.tx, couple_id, self.now).await?;
        recaps::delete(self.tx, couple_id).await?;
        crate::store::journal::cancel_shares(self.tx, couple_id).await?;
        Ok(())
    }
}

/// `ana (@ana.k)`; just the name when the handle says nothing more.
fn named(name: &str, handle: Option<&str>) -> String {
    match handle {
        Some(handle) if !handle.trim_start_matches('@').eq_ignore_ascii_case(name) => {
            format!("{name} ({handle})")
        }
        _ => name.to_owned(),
    }
}
