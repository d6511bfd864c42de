//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' and
//! shapes' annotations, so it cannot drift from the code.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// An error answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What was wrong.
    pub error: String,
}

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
        crate::incidents, crate::incident, crate::sources,
        crate::api_add_source, crate::api_remove_source, crate::api_pause, crate::api_resume,
        crate::browse::providers, crate::browse::provider, crate::browse::events, crate::browse::stats,
    ),
    components(schemas(ErrorBody, crate::ImpactWord, crate::KindWord)),
    modifiers(&AdminToken),
)]
struct Doc;

/// The document as JSON.
pub fn document() -> String {
    Doc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
}
