//! The Discord adapter's settings against the tests' fake Discord, as the
//! defaults would have them.

use std::time::Duration;

use rapport::adapters::discord::DiscordSettings;

/// `share_budget`: keep the request budget in the store, as processes on
/// one PostgreSQL database do.
pub fn against_fake(api_base: &str, share_budget: bool) -> DiscordSettings {
    let defaults = rapport::config::DiscordConfig::default();
    DiscordSettings {
        token: "bench-token".to_owned().into(),
        api_base: Some(api_base.to_owned()),
        guild_id: Some(crate::fake::GUILD_ID),
        requests_per_second: defaults.requests_per_second,
        rate_limit_pause: Duration::from_secs(1),
        read_messages: false,
        rate_window: Duration::from_secs(1),
        share_budget,
        shards: None,
        defer_after: rapport::adapters::discord::DEFER_AFTER,
    }
}
