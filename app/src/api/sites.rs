//! A site's users and their access requests, managed by its primary contact.

use super::*;

/// (Primary contacts) the access requests of a site.
///
/// # Errors
/// [`ApiError`]: 403 when not its primary contact.
pub async fn site_access_requests(site: &str) -> Result<Vec<AccessRequestView>, ApiError> {
    get(&format!("/sites/{}/access-requests", enc(site))).await
}

/// (Primary contacts) approves with privileges, or rejects, an access request.
///
/// # Errors
/// [`ApiError`]: 409 decided already.
pub async fn decide_access_request(
    id: i64,
    req: &DecideAccessRequest,
) -> Result<AccessRequestView, ApiError> {
    send_json(
        Request::post(&format!("{BASE}/access-requests/{id}/decision")),
        req,
    )
    .await
}

/// (Primary contacts) the users of a site with their privileges.
///
/// # Errors
/// [`ApiError`]: 403 when not its primary contact.
pub async fn site_users(site: &str) -> Result<Vec<SiteUserView>, ApiError> {
    get(&format!("/sites/{}/users", enc(site))).await
}

/// (Primary contacts) sets a user's privileges on a site.
///
/// # Errors
/// [`ApiError`]: 409 for a primary contact.
pub async fn set_privileges(
    site: &str,
    user_id: i64,
    privileges: &Privileges,
) -> Result<SiteUserView, ApiError> {
    send_json(
        Request::put(&format!(
            "{BASE}/sites/{}/users/{user_id}/privileges",
            enc(site)
        )),
        privileges,
    )
    .await
}
