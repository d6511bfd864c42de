//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' and
//! shapes' annotations, so it cannot drift from the code.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every answer may be 429: a client with 10 failed token or key attempts in
/// a minute is refused whatever it asks with a credential (`harden::limit_failures`
/// wraps the whole app), so every operation documents it.
struct RateLimited;

impl Modify for RateLimited {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let response = ResponseBuilder::new()
            .description("Too many failed token or key attempts from this client in the last minute; see Retry-After")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                op.responses
                    .responses
                    .entry("429".into())
                    .or_insert_with(|| response.clone().into());
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "statuswatch API", description = "Vendors' incidents from their status pages, in one model.", version = "1"),
    paths(
        crate::api::incidents::list, crate::api::incidents::one, crate::api::sources::list,
        crate::api::sources::add, crate::api::sources::remove, crate::api::sources::pause,
        crate::api::sources::resume, crate::api::providers::list, crate::api::providers::one,
        crate::api::events::list, crate::api::stats::figures, crate::api::nodes::list,
        crate::api::pages::list, crate::api::pages::add, crate::api::pages::one,
        crate::api::pages::change, crate::api::pages::remove, crate::api::pages::add_component,
        crate::api::pages::remove_component,
        crate::api::pages::open_incident, crate::api::pages::update_incident,
        crate::api::pages::postmortem, crate::api::pages::add_maintenance,
        crate::api::pages::update_maintenance, crate::api::pages::add_external,
        crate::api::pages::remove_external, crate::api::pages::subscribers,
    ),
    components(schemas(crate::error::ErrorBody, crate::params::ImpactWord, crate::params::KindWord)),
    modifiers(&AdminToken, &RateLimited),
)]
struct Doc;

/// The document as JSON.
pub fn document() -> String {
    Doc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
}

pub(crate) async fn handler() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], document()).into_response()
}
