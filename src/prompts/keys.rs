//! Every message key the code uses, as one enum, so the catalog can prove at
//! start-up that a locale defines all of them (no missing text at 3 a.m.).

macro_rules! message_keys {
    ($($variant:ident => $key:literal,)*) => {
        /// A user-facing message; its text lives in `prompts/<locale>/*.toml`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $($variant,)*
        }

        impl Key {
            /// Every key, for the completeness check at load time.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// The dotted path of the key in the TOML files (`table.name`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Key::$variant => $key,)*
                }
            }
        }
    };
}

message_keys! {
    FormatDateTime => "format.datetime",
    FormatNotSet => "format.not_set",

    HelpOverview => "help.overview",
    HelpPair => "help.pair",
    HelpSettings => "help.settings",
    HelpCheckin => "help.checkin",
    HelpReword => "help.reword",

    UsagePair => "usage.pair",
    UsageSettings => "usage.settings",
    UsageHelp => "usage.help",
    UsageCheckin => "usage.checkin",
    UsageReword => "usage.reword",

    ErrorInternal => "errors.internal",
    ErrorUnknownCommand => "errors.unknown_command",
    ErrorUsage => "errors.usage",
    ErrorInputTooLong => "errors.input_too_long",
    ErrorUnknownZone => "errors.unknown_zone",
    ErrorUnknownZoneSuggest => "errors.unknown_zone_suggest",
    ErrorBadQuietHours => "errors.bad_quiet_hours",
    ErrorInviteNotFound => "errors.invite_not_found",
    ErrorInviteExpired => "errors.invite_expired",
    ErrorInviteNoLongerValid => "errors.invite_no_longer_valid",
    ErrorInviteForSomeoneElse => "errors.invite_for_someone_else",
    ErrorNoPendingInvite => "errors.no_pending_invite",
    ErrorPairWithSelf => "errors.pair_with_self",
    ErrorAlreadyPaired => "errors.already_paired",
    ErrorPartnerUnavailable => "errors.partner_unavailable",
    ErrorNotPaired => "errors.not_paired",
    ErrorNeedsSpace => "errors.needs_space",
    ErrorSpaceTaken => "errors.space_taken",
    ErrorNotYourCouple => "errors.not_your_couple",
    ErrorBadSchedule => "errors.bad_schedule",
    ErrorScheduleTooFrequent => "errors.schedule_too_frequent",
    ErrorUnknownTheme => "errors.unknown_theme",
    ErrorNoProposal => "errors.no_proposal",
    ErrorProposalIsYours => "errors.proposal_is_yours",
    ErrorNoSchedule => "errors.no_schedule",
    ErrorBadDate => "errors.bad_date",
    ErrorBadRating => "errors.bad_rating",
    ErrorNoOpenRound => "errors.no_open_round",
    ErrorRoundAlreadyOpen => "errors.round_already_open",
    ErrorUnknownFeeling => "errors.unknown_feeling",

    PairInviteCode => "pair.invite_code",
    PairInviteSent => "pair.invite_sent",
    PairInviteReceived => "pair.invite_received",
    PairChoiceAccept => "pair.choice_accept",
    PairChoiceDecline => "pair.choice_decline",
    PairAcceptedYou => "pair.accepted_you",
    PairAcceptedInviter => "pair.accepted_inviter",
    PairAcceptedSpace => "pair.accepted_space",
    PairDeclinedYou => "pair.declined_you",
    PairDeclinedInviter => "pair.declined_inviter",
    PairCancelled => "pair.cancelled",
    PairNothingToCancel => "pair.nothing_to_cancel",
    PairLeaveConfirm => "pair.leave_confirm",
    PairChoiceLeave => "pair.choice_leave",
    PairLeftYou => "pair.left_you",
    PairLeftPartner => "pair.left_partner",
    PairStatusPaired => "pair.status_paired",
    PairStatusUnpaired => "pair.status_unpaired",
    PairStatusPending => "pair.status_pending",
    PairStatusNoSpace => "pair.status_no_space",
    PairHereSet => "pair.here_set",

    CheckinDescribe => "checkin.describe",
    CheckinKindPrivate => "checkin.kind_private",
    CheckinKindShared => "checkin.kind_shared",
    CheckinProposed => "checkin.proposed",
    CheckinProposal => "checkin.proposal",
    CheckinChoiceAccept => "checkin.choice_accept",
    CheckinChoiceDecline => "checkin.choice_decline",
    CheckinActivated => "checkin.activated",
    CheckinAcceptedByPartner => "checkin.accepted_by_partner",
    CheckinDeclined => "checkin.declined",
    CheckinDeclinedByPartner => "checkin.declined_by_partner",
    CheckinPaused => "checkin.paused",
    CheckinResumed => "checkin.resumed",
    CheckinSkipped => "checkin.skipped",
    CheckinStopped => "checkin.stopped",
    CheckinStatusActive => "checkin.status_active",
    CheckinStatusPaused => "checkin.status_paused",
    CheckinStatusSkipping => "checkin.status_skipping",
    CheckinStatusNone => "checkin.status_none",
    CheckinStatusProposal => "checkin.status_proposal",
    CheckinStatusOpenRound => "checkin.status_open_round",
    CheckinAskPrivate => "checkin.ask_private",
    CheckinAskShared => "checkin.ask_shared",
    CheckinNowStarted => "checkin.now_started",
    CheckinAnswerWaiting => "checkin.answer_waiting",
    CheckinAnswerThanks => "checkin.answer_thanks",
    CheckinRevealHeader => "checkin.reveal_header",
    CheckinRevealLine => "checkin.reveal_line",
    CheckinRevealLineRatingOnly => "checkin.reveal_line_rating_only",
    CheckinRevealTip => "checkin.reveal_tip",
    CheckinClosedNone => "checkin.closed_none",
    CheckinClosedPartial => "checkin.closed_partial",
    CheckinNudge => "checkin.nudge",
    CheckinHistoryEmpty => "checkin.history_empty",
    CheckinHistoryHeader => "checkin.history_header",
    CheckinHistoryLine => "checkin.history_line",
    CheckinHistoryMissed => "checkin.history_missed",
    CheckinTrendRising => "checkin.trend_rising",
    CheckinTrendSteady => "checkin.trend_steady",
    CheckinTrendFalling => "checkin.trend_falling",
    CheckinChartTitle => "checkin.chart_title",
    DeliveryUnreachable => "checkin.unreachable",

    RewordFine => "reword.fine",
    RewordSuggestion => "reword.suggestion",
    RewordReasonYou => "reword.reason_you",
    RewordReasonAbsolute => "reword.reason_absolute",
    RewordReasonLabel => "reword.reason_label",
    RewordReasonDisguised => "reword.reason_disguised",
    RewordReasonRhetorical => "reword.reason_rhetorical",
    RewordReasonContempt => "reword.reason_contempt",
    RewordCrisis => "reword.crisis",
    RewordCrisisResources => "reword.crisis_resources",
    RewordNudge => "reword.nudge",
    RewordNudgesOn => "reword.nudges_on",
    RewordNudgesWaiting => "reword.nudges_waiting",
    RewordNudgesAsk => "reword.nudges_ask",
    RewordNudgesChoiceAgree => "reword.nudges_choice_agree",
    RewordNudgesStarted => "reword.nudges_started",
    RewordNudgesOff => "reword.nudges_off",
    RewordNudgesOffPartner => "reword.nudges_off_partner",
    RewordNudgesStatusOn => "reword.nudges_status_on",
    RewordNudgesStatusOff => "reword.nudges_status_off",
    RewordNudgesStatusWaiting => "reword.nudges_status_waiting",
    RewordModelSystem => "reword.model_system",
    RewordModelUser => "reword.model_user",

    SettingsShow => "settings.show",
    SettingsZoneSet => "settings.zone_set",
    SettingsQuietSet => "settings.quiet_set",
    SettingsQuietOff => "settings.quiet_off",

    ConsoleWelcome => "console.welcome",
    ConsoleHelp => "console.help",
    ConsoleActingAs => "console.acting_as",
    ConsoleNowIn => "console.now_in",
    ConsoleNowDirect => "console.now_direct",
    ConsoleNoSuchChoice => "console.no_such_choice",
    ConsoleUsageAs => "console.usage_as",
    ConsoleUsageAt => "console.usage_at",
    ConsoleUsageSay => "console.usage_say",
    ConsoleLabelPrivate => "console.label_private",
    ConsoleLabelPublic => "console.label_public",
    ConsoleLabelDirect => "console.label_direct",
    ConsoleLabelSpace => "console.label_space",
    ConsoleChoice => "console.choice",
    ConsoleAttachment => "console.attachment",

    ConsoleBye => "console.bye",

    AdminNoPlatform => "admin.no_platform",
    AdminStartingConsole => "admin.starting_console",
    AdminConfigOk => "admin.config_ok",
    AdminConfigWarning => "admin.config_warning",
    AdminConfigProblem => "admin.config_problem",
    AdminConfigProblemCount => "admin.config_problem_count",
    AdminStartFailed => "admin.start_failed",
    AdminFeatureMissing => "admin.feature_missing",

    ConfigUnreadable => "config.unreadable",
    ConfigSyntax => "config.syntax",
    ConfigBadStoreUrl => "config.bad_store_url",
    ConfigBadZone => "config.bad_zone",
    ConfigBadLocale => "config.bad_locale",
    ConfigBadInviteTtl => "config.bad_invite_ttl",
    ConfigMissingSecret => "config.missing_secret",
    ConfigSecretFileUnreadable => "config.secret_file_unreadable",
    ConfigSecretInFile => "config.secret_in_file",
    ConfigBadHomeserver => "config.bad_homeserver",
    ConfigBadMatrixUser => "config.bad_matrix_user",
    ConfigPrompts => "config.prompts",
    ConfigBadRoundHours => "config.bad_round_hours",
    ConfigBadNudgeHours => "config.bad_nudge_hours",
    ConfigBadGraceHours => "config.bad_grace_hours",
    ConfigBadModelUrl => "config.bad_model_url",
    ConfigBadModelSettings => "config.bad_model_settings",
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_dotted() {
        let mut seen = HashSet::new();
        for key in Key::ALL {
            assert!(seen.insert(key.as_str()), "duplicate key {}", key.as_str());
            assert_eq!(key.as_str().split('.').count(), 2, "{}", key.as_str());
        }
    }
}
