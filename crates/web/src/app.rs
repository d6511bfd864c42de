//! The application: what the routes share ([`App`]), the routes, and serving
//! them on a listener until a shutdown future completes.

use crate::harden::{self, Attempts};
use crate::{api, badge, feed, health, metrics, openapi, pages};
use async_trait::async_trait;
use axum::routing::{delete, get, post};
use axum::Router;
use statuswatch_engine::{Clock, SystemClock};
use statuswatch_store::{Source, Store};
use std::future::Future;
use std::sync::Arc;

/// Adds a source on someone's behalf (detection, URL checks). Implemented
/// by the binary, which owns detection and the fetcher.
#[async_trait]
pub trait SourceAdmin: Send + Sync + 'static {
    /// Detects and stores a source.
    async fn add(&self, url: &str, name: Option<String>) -> Result<Source, AddError>;
}

/// Why a source was not added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    /// Not a page statuswatch can watch, a refused address, or already
    /// watched: the message is for the person who asked.
    #[error("{0}")]
    Refused(String),
    /// The store failed (busy, full, or broken): not the person's doing.
    #[error(transparent)]
    Store(#[from] statuswatch_store::StoreError),
}

/// What the routes share.
#[derive(Clone)]
pub struct App {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Source management, when the binary offers it.
    pub admin: Option<Arc<dyn SourceAdmin>>,
    /// The token that allows managing sources; none: management is off.
    pub admin_token: Option<String>,
    /// More `/metrics` text from the rest of the process (poll counters).
    pub extra_metrics: Option<Arc<dyn Fn() -> String + Send + Sync>>,
    /// Where handlers read the time (tests inject their own).
    pub clock: Arc<dyn Clock>,
    /// `/metrics` has per-source series while there are at most this many
    /// sources (and always with `?per_source=true`).
    pub metrics_per_source: usize,
    /// Failed token attempts by client, shared by every route.
    pub attempts: Arc<Attempts>,
    /// Requests to subscribe by email by client (each may send a mail).
    pub subscribe_attempts: Arc<Attempts>,
    /// Managing pages of one's own, when the binary offers it.
    pub pages: Option<Arc<statuswatch_pages::PageAdmin>>,
    /// How pages' email subscribers are written to; none: pages offer no
    /// email subscription.
    pub subscriber_mail: Option<statuswatch_notify::subscriber::SubscriberMail>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`[web]
    /// trusted_proxies`); empty: a client is its peer's address.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// This server's public address (`[web] public_url`, no trailing slash):
    /// pages' feeds and API link with it; without it they link by path
    /// only, never by a request's `Host`.
    pub public_url: Option<String>,
    /// What opening private pages needs: the cookie secret, keys checked.
    pub access: Arc<crate::status::Access>,
    /// Pages of one's own as last rendered, served until they change.
    pub rendered: Arc<crate::status::Rendered>,
    /// Slack's signing secret: `/slack/command` answers the slash command
    /// when set (404 otherwise).
    pub slack_signing_secret: Option<String>,
}

/// What handlers hold: the app, shared (one reference count a request, not
/// a copy of every field).
pub type Shared = Arc<App>;

/// The default of [`App::metrics_per_source`].
pub const METRICS_PER_SOURCE: usize = 1000;

impl App {
    /// A read-only app over a store, on the system clock.
    pub fn read_only(store: Arc<dyn Store>) -> App {
        App {
            store,
            admin: None,
            admin_token: None,
            extra_metrics: None,
            clock: Arc::new(SystemClock),
            metrics_per_source: METRICS_PER_SOURCE,
            attempts: Arc::default(),
            subscribe_attempts: Arc::new(Attempts::subscriptions()),
            pages: None,
            subscriber_mail: None,
            trusted_proxies: Arc::new([]),
            public_url: None,
            access: Arc::default(),
            rendered: Arc::default(),
            slack_signing_secret: None,
        }
    }

    /// Now, by the app's clock.
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// The application's routes over a store, read-only.
pub fn router(store: Arc<dyn Store>) -> Router {
    app_router(App::read_only(store))
}

/// The application's routes: each path's handler is in the module of its name
/// (`pages::dashboard`, `api::incidents`, ...).
pub fn app_router(app: App) -> Router {
    let app: Shared = Arc::new(app);
    let limits = app.clone();
    let written = app.clone();
    Router::new()
        .route("/", get(pages::dashboard::page))
        .route("/assets/style.css", get(pages::layout::style_sheet))
        .route("/slack/command", axum::routing::post(crate::slack::command))
        .route("/providers/{id}", get(pages::provider::page))
        .route("/incidents/{id}", get(pages::incident::page))
        .route("/search", get(pages::search::page))
        .route("/stats", get(pages::stats::page))
        .route("/admin", get(pages::admin::page))
        .route("/admin/login", post(pages::admin::login_form))
        .route("/admin/logout", post(pages::admin::logout_form))
        .route("/admin/sources", post(pages::admin::add_form))
        .route(
            "/admin/sources/{id}/{action}",
            post(pages::admin::action_form),
        )
        .route("/badge/{name}", get(badge::provider))
        .route("/badge/{name}/{component}", get(badge::component))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::handler))
        .route("/feed.atom", get(feed::handler))
        .route("/status/{slug}", get(crate::status::page))
        .route(
            "/status/{slug}/incidents/{id}",
            get(crate::status::incident),
        )
        .route("/status/{slug}/api/v2/{*rest}", get(crate::status::api))
        .route("/status/{slug}/access", post(crate::status::access))
        .route("/status/{slug}/subscribe", post(crate::status::subscribe))
        .route(
            "/status/{slug}/subscribers/{action}",
            get(crate::status::subscriber_page).post(crate::status::subscriber_action),
        )
        .route("/status/{slug}/{file}", get(crate::status::history))
        .route(
            "/admin/pages",
            get(pages::admin_pages::list).post(pages::admin_pages::add_form),
        )
        .route("/admin/pages/{slug}", get(pages::admin_pages::page))
        .route(
            "/admin/pages/{slug}/{action}",
            post(pages::admin_pages::action_form),
        )
        .route("/api/v1/pages", get(api::pages::list).post(api::pages::add))
        .route(
            "/api/v1/pages/{slug}",
            get(api::pages::one)
                .patch(api::pages::change)
                .delete(api::pages::remove),
        )
        .route(
            "/api/v1/pages/{slug}/components",
            post(api::pages::add_component),
        )
        .route(
            "/api/v1/pages/{slug}/components/{name}",
            delete(api::pages::remove_component),
        )
        .route(
            "/api/v1/pages/{slug}/incidents",
            post(api::pages::open_incident),
        )
        .route(
            "/api/v1/pages/{slug}/incidents/{id}/updates",
            post(api::pages::update_incident),
        )
        .route(
            "/api/v1/pages/{slug}/incidents/{id}/postmortem",
            post(api::pages::postmortem),
        )
        .route(
            "/api/v1/pages/{slug}/maintenances",
            post(api::pages::add_maintenance),
        )
        .route(
            "/api/v1/pages/{slug}/maintenances/{id}/updates",
            post(api::pages::update_maintenance),
        )
        .route(
            "/api/v1/pages/{slug}/externals",
            post(api::pages::add_external),
        )
        .route(
            "/api/v1/pages/{slug}/externals/{label}",
            delete(api::pages::remove_external),
        )
        .route(
            "/api/v1/pages/{slug}/subscribers",
            get(api::pages::subscribers),
        )
        .route("/api/v1/openapi.json", get(openapi::handler))
        .route("/api/v1/providers", get(api::providers::list))
        .route("/api/v1/providers/{id}", get(api::providers::one))
        .route("/api/v1/incidents", get(api::incidents::list))
        .route("/api/v1/incidents/{id}", get(api::incidents::one))
        .route("/api/v1/events", get(api::events::list))
        .route("/api/v1/stats", get(api::stats::figures))
        .route("/api/v1/nodes", get(api::nodes::list))
        .route(
            "/api/v1/sources",
            get(api::sources::list).post(api::sources::add),
        )
        .route("/api/v1/sources/{id}", delete(api::sources::remove))
        .route("/api/v1/sources/{id}/pause", post(api::sources::pause))
        .route("/api/v1/sources/{id}/resume", post(api::sources::resume))
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(
            written,
            crate::status::forget_written,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            harden::limit_failures,
        ))
        .layer(axum::middleware::from_fn(harden::keyed_answers_are_private))
        .layer(axum::middleware::from_fn(harden::security_headers))
}

/// Serves the read-only routes on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_app(listener, App::read_only(store), shutdown).await
}

/// Serves the routes on `listener` until `shutdown` completes.
pub async fn serve_app(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address is what failed token attempts are counted by.
    let service = app_router(app).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
