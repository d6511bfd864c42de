//! `statuswatch serve`: scheduler and web server in one process.

use crate::config::Settings;
use crate::db;
use anyhow::{Context, Result};
use statuswatch_engine::{
    DispatchConfig, Dispatcher, Heartbeat, Poller, Reminders, Retention, Scheduler, SystemClock,
};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "STATUSWATCH_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// Time between two polls of a source (default 60s).
    #[arg(long, env = "STATUSWATCH_INTERVAL", value_name = "DURATION")]
    pub interval: Option<String>,
    /// The most polls in flight at once (default 4096; the memory budget,
    /// `poll_memory` in the config file, bounds them first).
    #[arg(long, env = "STATUSWATCH_CONCURRENCY")]
    pub concurrency: Option<usize>,
    /// The admin token that allows managing sources from the web and the API
    /// (at least 16 characters; off when unset).
    #[arg(
        long = "admin-token",
        env = "STATUSWATCH_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub admin_token: Option<String>,
}

/// Adds sources asked for through the web or the API: detection as `add`
/// does, with a fetcher that refuses internal addresses (after DNS resolution
/// and on every redirect) unless the configuration allows them.
struct WebAdmin {
    store: Arc<dyn statuswatch_store::Store>,
    fetcher: Arc<statuswatch_fetch::Fetcher>,
}

#[async_trait::async_trait]
impl statuswatch_web::SourceAdmin for WebAdmin {
    async fn add(
        &self,
        url: &str,
        name: Option<String>,
    ) -> Result<statuswatch_store::Source, statuswatch_web::AddError> {
        use statuswatch_web::AddError;
        let url = super::parse_url(url).map_err(|e| AddError::Refused(format!("{e:#}")))?;
        super::add::add_one(&self.store, &self.fetcher, &url, name, None, true)
            .await
            .map(|(s, _)| s)
            .map_err(|e| match e.downcast::<statuswatch_store::StoreError>() {
                // A conflict is the person's to see; the store failing is not.
                Ok(statuswatch_store::StoreError::Conflict(m)) => AddError::Refused(m),
                Ok(store) => AddError::Store(store),
                Err(e) => AddError::Refused(format!("{e:#}")),
            })
    }
}

pub async fn run(settings: Settings) -> Result<ExitCode> {
    if !settings.channels.is_empty() && settings.subscriptions.is_empty() {
        tracing::warn!("alert channels are configured but no [[subscription]] sends them anything");
    }
    let store = db::open(settings.db.clone()).await?;
    // Sources added through the web or the API are detected and polled
    // through the fetcher's guarded handle, which refuses internal addresses
    // unless [web] allow_internal lists them; both share one host pool.
    let fetcher = super::fetcher(settings.fetch.clone())?;
    let guarded = Arc::new(fetcher.guarded());
    let poller = Arc::new(
        Poller::new(
            store.clone(),
            fetcher,
            Arc::new(SystemClock),
            settings.engine.clone(),
        )
        .with_subscriptions(settings.subscriptions.clone())
        .batching_quiet_polls(),
    );
    let dispatcher = Dispatcher::new(
        store.clone(),
        settings.channels.clone(),
        Arc::new(SystemClock),
        DispatchConfig::default(),
    )
    .map_err(|e| anyhow::anyhow!("building the alert client: {e}"))?
    .with_subscriber_mail(settings.subscriber_mail.clone());
    // Bringing due times within the interval is a convenience: on a store
    // other nodes are writing, PostgreSQL may pick this update as a deadlock
    // victim; it is tried again, and given up with a warning, never fatal.
    let mut attempt = 0;
    loop {
        let capped = store
            .cap_next_polls(super::now(), settings.engine.interval.as_millis() as i64)
            .await;
        match capped {
            Ok(moved) => {
                if moved > 0 {
                    tracing::info!(sources = moved, "brought due times within the interval");
                }
                break;
            }
            Err(e) if attempt < 3 => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, "bringing due times within the interval");
                let wait = 100 * (1u64 << attempt) + rand::random_range(0..100u64);
                tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not bring due times within the interval; they stay as stored");
                break;
            }
        }
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    tracing::info!(
        listen = %listener.local_addr()?,
        interval = ?settings.engine.interval,
        "statuswatch serving"
    );

    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let tick =
        (settings.engine.interval / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
    let scheduler =
        tokio::spawn(Scheduler::new(poller.clone(), tick).run(stopped(stop_rx.clone()), None));
    let alerts = tokio::spawn(dispatcher.run(stopped(stop_rx.clone())));
    let reminders = Reminders::new(
        store.clone(),
        poller.router().clone(),
        Arc::new(SystemClock),
        settings.remind_before,
    );
    let reminding = tokio::spawn(reminders.run(Duration::from_secs(30), stopped(stop_rx.clone())));
    // Retention, when `[store] keep` is set: a pass within a minute of the
    // start, then hourly (jittered, so nodes never align).
    let retaining = tokio::spawn({
        let keep = settings.engine.keep;
        let store = store.clone();
        let stop = stopped(stop_rx.clone());
        async move {
            if let Some(keep) = keep {
                tracing::info!(keep = %humantime::format_duration(keep), "retention on");
                Retention::new(store, Arc::new(SystemClock), keep)
                    .run(Duration::from_secs(3600), stop)
                    .await
            }
        }
    });
    let heartbeat = Heartbeat::new(
        store.clone(),
        poller.stats(),
        Arc::new(SystemClock),
        settings.engine.interval,
    );
    tracing::info!(node = %heartbeat.id(), "this node's heartbeat");
    let beating = tokio::spawn(heartbeat.run(stopped(stop_rx.clone())));
    let app = statuswatch_web::App {
        admin: Some(Arc::new(WebAdmin {
            store: store.clone(),
            fetcher: guarded,
        })),
        admin_token: settings.admin_token.clone(),
        clock: Arc::new(SystemClock),
        metrics_per_source: settings.metrics_per_source,
        attempts: Default::default(),
        subscribe_attempts: Arc::new(statuswatch_web::Attempts::subscriptions()),
        pages: Some(Arc::new(statuswatch_pages::PageAdmin::new(poller.clone()))),
        subscriber_mail: settings.subscriber_mail.clone(),
        trusted_proxies: settings.trusted_proxies.clone().into(),
        public_url: settings.public_url.clone(),
        access: Default::default(),
        rendered: Default::default(),
        slack_signing_secret: settings.slack_signing_secret.clone(),
        extra_metrics: {
            let stats = poller.stats();
            Some(Arc::new(move || stats.render()))
        },
        store,
    };
    if app.admin_token.is_none() {
        tracing::info!("managing sources from the web is off (no admin token)");
    }
    let web = tokio::spawn(statuswatch_web::serve_app(listener, app, stopped(stop_rx)));

    shutdown_signal().await;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    let (s, a, r, w, b, k) = tokio::join!(scheduler, alerts, reminding, web, beating, retaining);
    b.context("heartbeat task")?;
    k.context("retention task")?;
    s.context("scheduler task")?;
    a.context("alert task")?;
    r.context("reminder task")?;
    w.context("web task")??;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
