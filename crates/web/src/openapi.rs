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

#[derive(OpenApi)]
#[openapi(
    info(title = "statuswatch API", description = "Vendors' incidents from their status pages, in one model.", version = "1"),
    paths(
        crate::api::incidents::list, crate::api::incidents::one, crate::api::sources::list,
        crate::api::sources::add, crate::api::sources::remove, crate::api::sources::pause,
        crate::api::sources::resume, crate::api::providers::list, crate::api::providers::one,
        crate::api::events::list, crate::api::stats::figures, crate::api::nodes::list,
    ),
    components(schemas(crate::error::ErrorBody, crate::params::ImpactWord, crate::params::KindWord)),
    modifiers(&AdminToken),
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
