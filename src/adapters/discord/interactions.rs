//! Interactions: slash commands, button and menu clicks, and form
//! submissions become engine requests; the engine's answer to the person
//! is the interaction's response, everything else goes through the outbox.
//!
//! Private answers in a server channel are ephemeral (only the person sees
//! them); in a DM every answer is an ordinary message. An answer not ready
//! within `defer_after` is deferred (Discord drops interactions not
//! answered within 3 seconds) and completed when it is.

use std::sync::atomic::Ordering;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use serenity::{
    ActionRowComponent, Builder, ComponentInteraction, ComponentInteractionDataKind,
    CreateActionRow, CreateAttachment, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateModal,
    EditInteractionResponse, Http, InputTextStyle, InteractionId, ModalInteraction,
};

use super::convert::{Asked, actor_of, asked, named_users, place_of};
use super::registration::leaf_of;
use super::render::{self, MAX_INPUT_LABEL, MENU_ID, Token};
use super::{AppContext, Data, Error};
use crate::domain::Reply;
use crate::engine::command::MAX_INPUT_CHARS;
use crate::engine::message::{Actor, Place, Request, Source};
use crate::prompts::Key;

/// The id of the one text field in a note form.
const NOTE_FIELD: &str = "note";
/// Longest note; leaves room for the command within the engine's limit.
const NOTE_MAX_CHARS: u16 = (MAX_INPUT_CHARS - 100) as u16;

/// Runs a slash command for poise, which wants its errors as framework
/// errors.
pub fn slash_action(
    ctx: AppContext<'_>,
) -> poise::BoxFuture<'_, Result<(), poise::FrameworkError<'_, Data, Error>>> {
    Box::pin(async move {
        on_slash(ctx)
            .await
            .map_err(|error| poise::FrameworkError::new_command(ctx.into(), error))
    })
}

/// One interaction being answered.
struct Answering<'a> {
    http: &'a Http,
    data: &'a Data,
    id: InteractionId,
    token: &'a str,
    actor: Actor,
    place: Place,
}

/// A slash command: its options become the engine's command.
pub async fn on_slash(ctx: AppContext<'_>) -> Result<(), Error> {
    let leaf =
        leaf_of(ctx.command()).context("a slash command was built without its table entry")?;
    let interaction = ctx.interaction;
    let answering = Answering::new(
        &ctx.serenity_context().http,
        ctx.data(),
        (interaction.id, &interaction.token),
        // A slash command's options are shown to nobody but the person.
        actor_of(&interaction.user, interaction.member.as_deref())
            .typed_privately()
            .with_named_others(named_users(ctx.args)),
        place_of(interaction.guild_id, interaction.channel_id),
    );
    let result = answering.run(asked(leaf, ctx.args)).await;
    // Tells poise how to reach the person if this failed before answering.
    ctx.has_sent_initial_response
        .store(result.is_ok(), Ordering::SeqCst);
    result
}

/// A button or a menu entry.
pub async fn on_component(http: &Http, data: &Data, interaction: &ComponentInteraction) {
    let custom_id = match &interaction.data.kind {
        ComponentInteractionDataKind::StringSelect { values }
            if interaction.data.custom_id == MENU_ID =>
        {
            values.first().cloned().unwrap_or_default()
        }
        _ => interaction.data.custom_id.clone(),
    };
    let answering = Answering::new(
        http,
        data,
        (interaction.id, &interaction.token),
        actor_of(&interaction.user, interaction.member.as_ref()).typed_privately(),
        place_of(interaction.guild_id, interaction.channel_id),
    );
    let message = &interaction.message;
    let ephemeral = message
        .flags
        .is_some_and(|flags| flags.contains(serenity::MessageFlags::EPHEMERAL));
    // An ephemeral message can be changed only by answering the click with
    // its update; the answer then follows it.
    let update_first = (ephemeral && !message.components.is_empty())
        .then(|| render::disabled(&message.components));
    let result =
        match Token::decode(&custom_id).and_then(|t| data.choices.resolve(&t).map(|r| (t, r))) {
            None => answering.expired().await,
            Some((token, chosen)) => match (chosen.note, update_first) {
                (Some(question), _) => answering.ask_note(&token, question).await,
                (None, Some(rows)) => {
                    let asked = Asked::Line(chosen.command);
                    answering.run_after_update(asked, rows).await
                }
                (None, None) => answering.run(Asked::Line(chosen.command)).await,
            },
        };
    if let Err(error) = result {
        tracing::error!(error.cause_chain = ?error, "cannot answer a Discord button");
    }
    if !ephemeral {
        disable_controls(http, interaction).await;
    }
}

/// Once a choice is answered, its standing message's buttons can no longer
/// be pressed (an ephemeral one's were changed with the answer).
async fn disable_controls(http: &Http, interaction: &ComponentInteraction) {
    let message = &interaction.message;
    if message.components.is_empty() {
        return;
    }
    let edit = serenity::EditMessage::new().components(render::disabled(&message.components));
    if let Err(error) = message
        .channel_id
        .edit_message(http, message.id, edit)
        .await
    {
        tracing::warn!(%error, "cannot disable the buttons of an answered message");
    }
}

/// A note form: the chosen command with the text after it.
pub async fn on_modal(http: &Http, data: &Data, interaction: &ModalInteraction) {
    let answering = Answering::new(
        http,
        data,
        (interaction.id, &interaction.token),
        actor_of(&interaction.user, interaction.member.as_ref()).typed_privately(),
        place_of(interaction.guild_id, interaction.channel_id),
    );
    let chosen = Token::decode(&interaction.data.custom_id).and_then(|t| data.choices.resolve(&t));
    let result = match chosen {
        None => answering.expired().await,
        Some(chosen) => {
            let note = interaction
                .data
                .components
                .iter()
                .flat_map(|row| row.components.iter())
                .find_map(|component| match component {
                    ActionRowComponent::InputText(input) if input.custom_id == NOTE_FIELD => {
                        input.value.clone()
                    }
                    _ => None,
                })
                .unwrap_or_default();
            let line = match note.trim() {
                "" => chosen.command,
                note => format!("{} {note}", chosen.command),
            };
            answering.run(Asked::Line(line)).await
        }
    };
    if let Err(error) = result {
        tracing::error!(error.cause_chain = ?error, "cannot answer a Discord form");
    }
}

impl<'a> Answering<'a> {
    fn new(
        http: &'a Http,
        data: &'a Data,
        (id, token): (InteractionId, &'a str),
        actor: Actor,
        place: Place,
    ) -> Answering<'a> {
        Answering {
            http,
            data,
            id,
            token,
            actor,
            place,
        }
    }

    /// Answers a click on an ephemeral message by changing that message to
    /// `rows` (its controls, disabled) at once, then runs the request; its
    /// answers follow as follow-ups.
    async fn run_after_update(
        &self,
        asked: Asked,
        rows: Vec<CreateActionRow>,
    ) -> Result<(), Error> {
        CreateInteractionResponse::UpdateMessage(
            CreateInteractionResponseMessage::new().components(rows),
        )
        .execute(self.http, (self.id, self.token))
        .await
        .context("cannot disable the buttons of an answered message")?;
        let answers = self.work(asked).await;
        self.answer(answers, false, true).await
    }

    /// Runs the request and answers it.
    async fn run(&self, asked: Asked) -> Result<(), Error> {
        let work = self.work(asked);
        tokio::pin!(work);
        let defer_after = self.data.defer_after;
        let in_time = if defer_after.is_zero() {
            None // always defer
        } else {
            tokio::time::timeout(defer_after, &mut work).await.ok()
        };
        let (answers, deferred) = match in_time {
            Some(answers) => (answers, false),
            None => {
                // Privately while we wait: the answer may be private.
                CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                )
                .execute(self.http, (self.id, self.token))
                .await
                .context("cannot defer a Discord answer")?;
                (work.await, true)
            }
        };
        self.answer(answers, deferred, false).await
    }

    /// The engine's answers to the request.
    async fn work(&self, asked: Asked) -> Vec<Reply> {
        let engine = &self.data.engine;
        match asked {
            Asked::Line(line) => {
                engine
                    .handle_text(self.actor.clone(), self.place.clone(), &line)
                    .await
            }
            Asked::Command(command) => {
                engine
                    .handle(Request {
                        actor: self.actor.clone(),
                        place: self.place.clone(),
                        command,
                        source: Source::Unknown,
                    })
                    .await
            }
        }
    }

    /// The first answer to the person is the response (unless the click
    /// was `responded` to already); more answers to them are follow-ups.
    /// What the request says to anyone else the engine has already queued
    /// in the outbox.
    async fn answer(
        &self,
        answers: Vec<Reply>,
        mut deferred: bool,
        mut responded: bool,
    ) -> Result<(), Error> {
        for reply in &answers {
            // Private answers are ephemeral in DMs too: a DM would keep
            // them, where deleting someone's words could not reach.
            let ephemeral = reply.private;
            let parts = render::split_content(&reply.text);
            let last = parts.len() - 1;
            for (part_index, part) in parts.into_iter().enumerate() {
                let extras = (part_index == last).then_some(reply);
                if !responded && !deferred {
                    self.respond(part, ephemeral, extras).await?;
                } else if deferred && ephemeral {
                    self.edit_original(part, extras).await?;
                    deferred = false;
                } else {
                    if deferred {
                        // The deferred answer was private; this one is not.
                        self.http
                            .delete_original_interaction_response(self.token)
                            .await
                            .context("cannot remove a deferred Discord answer")?;
                        deferred = false;
                    }
                    self.follow_up(part, ephemeral, extras).await?;
                }
                responded = true;
            }
        }
        if !responded && !deferred {
            // Nothing for the person (everything went elsewhere): a quiet
            // acknowledgement, so Discord does not show a failure.
            CreateInteractionResponse::Acknowledge
                .execute(self.http, (self.id, self.token))
                .await
                .context("cannot acknowledge a Discord interaction")?;
        }
        Ok(())
    }

    async fn respond(
        &self,
        text: String,
        ephemeral: bool,
        extras: Option<&Reply>,
    ) -> Result<(), Error> {
        let (rows, file) = self.extras(extras);
        let mut message = CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(ephemeral)
            .components(rows);
        if let Some(file) = file {
            message = message.add_file(file);
        }
        CreateInteractionResponse::Message(message)
            .execute(self.http, (self.id, self.token))
            .await
            .context("cannot answer a Discord interaction")
    }

    async fn edit_original(&self, text: String, extras: Option<&Reply>) -> Result<(), Error> {
        let (rows, file) = self.extras(extras);
        let mut edit = EditInteractionResponse::new()
            .content(text)
            .components(rows);
        if let Some(file) = file {
            edit = edit.new_attachment(file);
        }
        edit.execute(self.http, self.token)
            .await
            .map(|_| ())
            .context("cannot complete a deferred Discord answer")
    }

    async fn follow_up(
        &self,
        text: String,
        ephemeral: bool,
        extras: Option<&Reply>,
    ) -> Result<(), Error> {
        let (rows, file) = self.extras(extras);
        let mut message = CreateInteractionResponseFollowup::new()
            .content(text)
            .ephemeral(ephemeral)
            .components(rows);
        if let Some(file) = file {
            message = message.add_file(file);
        }
        message
            .execute(self.http, (None, self.token))
            .await
            .map(|_| ())
            .context("cannot send a Discord follow-up")
    }

    /// The controls and the file that go with a reply's last part.
    fn extras(&self, reply: Option<&Reply>) -> (Vec<CreateActionRow>, Option<CreateAttachment>) {
        let Some(reply) = reply else {
            return (Vec::new(), None);
        };
        let rows = render::components(reply, &self.data.choices, self.data.engine.catalog());
        let file = reply
            .attachment
            .as_ref()
            .map(|file| CreateAttachment::bytes(file.bytes.clone(), &file.filename));
        (rows, file)
    }

    /// Shows the form for a choice's optional text.
    async fn ask_note(&self, token: &Token, question: Option<String>) -> Result<(), Error> {
        let catalog = self.data.engine.catalog();
        let label = question.unwrap_or_else(|| catalog.text(Key::DiscordNoteLabel).to_owned());
        let field = CreateInputText::new(
            InputTextStyle::Paragraph,
            render::cut(&label, MAX_INPUT_LABEL),
            NOTE_FIELD,
        )
        .required(false)
        .max_length(NOTE_MAX_CHARS);
        let form = CreateModal::new(
            token.encode(),
            render::cut(catalog.text(Key::DiscordNoteTitle), MAX_INPUT_LABEL),
        )
        .components(vec![CreateActionRow::InputText(field)]);
        CreateInteractionResponse::Modal(form)
            .execute(self.http, (self.id, self.token))
            .await
            .context("cannot show a Discord form")
    }

    /// A remembered choice is gone (the bot restarted): say so kindly.
    async fn expired(&self) -> Result<(), Error> {
        let text = self.data.engine.catalog().text(Key::ChoiceExpired);
        self.respond(text.to_owned(), true, None).await
    }
}
