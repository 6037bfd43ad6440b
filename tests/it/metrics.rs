//! The metrics as Prometheus reads them, and the sample Grafana dashboard
//! in `contrib/` asking only for metrics rapport has.

use rapport::metrics::{Metrics, Outcome, StoreFigures};

#[test]
fn the_dashboard_asks_only_for_metrics_rapport_serves() {
    let metrics = Metrics::new();
    metrics.command("checkin", Outcome::Ok);
    metrics.delivered_after(0.3);
    metrics.set_connected("discord", true);
    metrics.discord_rate_limited();
    metrics.discord_retried();
    metrics.matrix_sync_failed();
    let served = metrics.render(StoreFigures::default()).unwrap();
    let dashboard = std::fs::read_to_string("contrib/grafana-dashboard.json").unwrap();
    let names = regex::Regex::new(r"rapport_[a-z_]+").unwrap();
    let asked: std::collections::BTreeSet<&str> =
        names.find_iter(&dashboard).map(|m| m.as_str()).collect();
    assert!(asked.len() >= 10, "{asked:?}");
    for name in asked {
        assert!(
            served.lines().any(|line| line.starts_with(name)),
            "the dashboard asks for {name}, which /metrics does not serve:\n{served}"
        );
    }
}
